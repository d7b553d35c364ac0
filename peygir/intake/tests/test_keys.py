"""API keys: issued once (command or admin), stored hashed, re-issued to revoke."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from peygir.audit.models import AuditEntry
from peygir.core.errors import PermissionDenied
from peygir.intake.channels.open311.services import open311_client_authenticate, open311_key_issue
from peygir.intake.models import Open311Client

pytestmark = pytest.mark.django_db


def test_create_api_key_prints_the_key_once_and_stores_only_its_hash(org_tree):
    out, err = StringIO(), StringIO()
    call_command("create_api_key", "FixMyStreet تهران", "--rate-limit", "30", stdout=out, stderr=err)
    key = out.getvalue().strip()
    client = Open311Client.objects.get()
    prefix, secret = key.split(".")
    assert (client.name, client.prefix, client.rate_limit_per_minute) == ("FixMyStreet تهران", prefix, 30)
    assert len(secret) >= 40
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert secret not in client.key_hash
    assert open311_client_authenticate(key) == client
    assert AuditEntry.objects.filter(action="open311.key_issue", object_id=str(client.pk)).count() == 1


def test_create_api_key_refuses_a_blank_name(org_tree):
    with pytest.raises(CommandError):
        call_command("create_api_key", "  ", stdout=StringIO(), stderr=StringIO())
    assert Open311Client.objects.count() == 0


def test_a_new_key_revokes_the_old_one(org_tree):
    out = StringIO()
    call_command("create_api_key", "اپ", stdout=out, stderr=StringIO())
    old = out.getvalue().strip()
    client = Open311Client.objects.get()
    new = open311_key_issue(client=client)
    assert open311_client_authenticate(new) == client
    with pytest.raises(PermissionDenied):
        open311_client_authenticate(old)


def test_admin_issues_the_key_when_a_client_is_added(client, admin_user_persona):
    client.force_login(admin_user_persona)
    response = client.post(
        "/admin/intake/open311client/add/",
        {"name": "اپ همراه شهر", "is_active": "on", "rate_limit_per_minute": "60", "agent": ""},
        follow=True,
    )
    saved = Open311Client.objects.get()
    shown = [str(message) for message in response.context["messages"]]
    assert response.status_code == 200
    assert len(shown) >= 1
    key = shown[0].split(": ", 1)[1].split(" ")[0]
    assert key.startswith(saved.prefix + ".")
    assert open311_client_authenticate(key) == saved
    page = client.get(f"/admin/intake/open311client/{saved.pk}/change/").content.decode()
    assert key not in page
