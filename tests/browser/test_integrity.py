"""The integrity channel in a real browser: the proof of work runs, the receipt opens the report."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import DESKTOP, screenshot


@pytest.fixture
def handler_with_keys(settings: Any, db: Any) -> Any:
    from django.contrib.auth import get_user_model

    from peygir.integrity.keys import keypair_setup
    from peygir.integrity.models import IntegrityRole

    settings.INTEGRITY = {
        **settings.INTEGRITY,
        "LOOKUP_OPS": 1,
        "LOOKUP_MEM": 8192,
        "KEY_OPS": 1,
        "KEY_MEM": 8192,
        "POW_BITS": 10,
    }
    user = get_user_model().objects.create(username="browser-handler")
    user.set_password("browser-handler-pass-1")
    user.save()
    IntegrityRole.objects.create(user=user, role="handler")
    keypair_setup(user=user, password="browser-handler-pass-1")
    return user


def test_a_reporter_submits_with_the_proof_of_work_and_returns_with_the_receipt(
    new_page: Any, handler_with_keys: Any
) -> None:
    page = new_page(DESKTOP)
    page.goto("/integrity/")
    screenshot(page, "integrity-home")
    page.goto("/integrity/new/")
    page.fill("#id_what", "در واحد صدور پروانه برای تسریع کار پول خواستند.")
    page.fill("#id_where", "منطقه ۶")
    submit = page.locator("[data-pow-submit]")
    page.wait_for_function("() => !document.querySelector('[data-pow-submit]').disabled")
    screenshot(page, "integrity-new")
    submit.click()
    page.wait_for_load_state()
    screenshot(page, "integrity-after-submit")
    page.wait_for_selector(".receipt")
    screenshot(page, "integrity-receipt")
    receipt = "".join(page.locator(".receipt-group").all_inner_texts())
    assert len(receipt) == 25
    page.goto("/integrity/return/")
    page.fill("#id_receipt", receipt)
    page.click("button[type=submit]")
    page.wait_for_url("**/integrity/report/")
    assert "پول خواستند" in page.content()
    screenshot(page, "integrity-report")
    assert page.errors == [] and page.csp_violations == []
