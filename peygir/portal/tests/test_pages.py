from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_the_system_the_categories_and_the_track_form(client, org_tree):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fa" dir="rtl"' in html
    assert html.count('class="card card-link category-card"') == 17
    assert "پسماند و نظافت شهری" in html
    assert f'href="{reverse("portal:register")}"' in html
    assert f'action="{reverse("portal:track")}"' in html
    assert f'href="{reverse("portal:login")}"' in html
    assert "csrfmiddlewaretoken" in html  # the language switch


def test_home_links_my_cases_when_signed_in(client, citizen):
    client.force_login(citizen)
    html = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:my_cases")}"' in html
    assert f'action="{reverse("portal:logout")}"' in html
    assert f'href="{reverse("portal:login")}"' not in html


@pytest.mark.parametrize("name", ["portal:register", "portal:login"])
def test_every_form_page_carries_a_csrf_token(client, org_tree, name):
    html = client.get(reverse(name)).content.decode()
    assert html.count("csrfmiddlewaretoken") == 2  # the page's form and the language switch


def test_my_cases_renders_for_a_signed_in_citizen_with_no_cases(client, citizen_b):
    client.force_login(citizen_b)
    response = client.get(reverse("portal:my_cases"))
    assert response.status_code == 200
    assert "هنوز پیامی با این حساب ثبت نکرده‌اید." in response.content.decode()


def test_switching_to_english_sets_lang_and_direction(client, org_tree):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Waste and street cleaning" in html
