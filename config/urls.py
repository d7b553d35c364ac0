from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic.base import RedirectView

from config.api import api

urlpatterns = [
    path("favicon.ico", RedirectView.as_view(url=static_url("favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/", include("peygir.staff.urls")),
    path("notifications/", include("peygir.notifications.urls")),
    path("open311/v2/", include("peygir.intake.channels.open311.urls")),
    # Each of these carries its own full prefixes (for example /staff/console/, /integrity/).
    path("", include("peygir.integrity.urls")),
    path("", include("peygir.intake.urls")),
    path("", include("peygir.feedback.urls")),
    path("", include("peygir.callcenter.urls")),
    path("", include("peygir.performance.urls")),
    path("", include("peygir.insights.urls")),
    path("", include("peygir.portal.urls")),
]

if settings.DEBUG:  # pragma: no cover - development convenience only
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
