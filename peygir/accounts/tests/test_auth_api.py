from __future__ import annotations

import json

from django.test import Client

API = "/api/v1"


def post(client, path, body, **headers):
    return client.post(API + path, data=json.dumps(body), content_type="application/json", headers=headers)


def test_staff_member_gets_a_token_with_a_password(org_tree, officer6):
    response = post(Client(), "/auth/token", {"username": "officer6", "password": "peygir-demo"})
    assert response.status_code == 200
    token = response.json()["token"]
    me = Client().get(f"{API}/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["is_staff_member"] is True


def test_wrong_password_is_refused_in_persian(org_tree, officer6):
    response = post(Client(), "/auth/token", {"username": "officer6", "password": "guess"})
    assert response.status_code == 401
    assert response.json()["detail"] == "نام کاربری یا گذرواژه درست نیست."


def test_password_guessing_is_stopped_even_for_the_right_password(org_tree, officer6):
    client = Client()
    for _ in range(10):
        assert post(client, "/auth/token", {"username": "officer6", "password": "guess"}).status_code == 401
    response = post(client, "/auth/token", {"username": "officer6", "password": "peygir-demo"})
    assert response.status_code == 429


def test_logout_revokes_the_token(org_tree, citizen):
    from peygir.accounts.services import api_token_create

    headers = {"Authorization": f"Bearer {api_token_create(user=citizen)}"}
    assert Client().get(f"{API}/auth/me", headers=headers).status_code == 200
    assert post(Client(), "/auth/logout", {}, **headers).status_code == 204
    assert Client().get(f"{API}/auth/me", headers=headers).status_code == 401


def test_expired_token_is_refused(org_tree, citizen):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from peygir.accounts.services import api_token_create

    headers = {"Authorization": f"Bearer {api_token_create(user=citizen, ttl=dt.timedelta(hours=1))}"}
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2), tick=False):
        assert Client().get(f"{API}/auth/me", headers=headers).status_code == 401


def test_me_needs_a_sign_in(db):
    assert Client().get(f"{API}/auth/me").status_code == 401


def test_password_lockout_lasts_the_whole_window(org_tree, officer6):
    import datetime as dt

    import time_machine

    client = Client()
    for _ in range(10):
        post(client, "/auth/token", {"username": "officer6", "password": "guess"})
    # Ten minutes later (past the database cache's default 5-minute timeout) it still holds.
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)):
        assert (
            post(client, "/auth/token", {"username": "officer6", "password": "peygir-demo"}).status_code
            == 429
        )
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=16)):
        assert (
            post(client, "/auth/token", {"username": "officer6", "password": "peygir-demo"}).status_code
            == 200
        )
