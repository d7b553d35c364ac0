from django.urls import path

from . import account, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("registered/<uuid:public_id>/", views.registered, name="registered"),
    path("track/", views.track, name="track"),
    path("track/<str:code>/", views.track_case, name="track_case"),
    path("track/<str:code>/photo/<uuid:photo_id>/", views.track_photo, name="track_photo"),
    path("login/", account.login_phone, name="login"),
    path("login/code/", account.login_code, name="login_code"),
    path("logout/", account.logout_view, name="logout"),
    path("my/", account.my_cases, name="my_cases"),
    path("my/<uuid:public_id>/", account.my_case, name="my_case"),
    path("my/<uuid:public_id>/rate/", account.my_case_rate, name="my_case_rate"),
    path("my/<uuid:public_id>/object/", account.my_case_object, name="my_case_object"),
    path("my/<uuid:public_id>/reply/", account.my_case_reply, name="my_case_reply"),
    path("my/<uuid:public_id>/close/", account.my_case_close, name="my_case_close"),
]
