"""The insights app in the browser: the case page's panel (loaded by htmx) for an urgent case with a
likely duplicate, and the possible-duplicate notice on the citizen's register page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from peygir.cases.models import Case
from peygir.cases.services import case_submit
from peygir.catalog.models import Category
from peygir.core.text import to_persian_digits
from peygir.insights.classifier import ModelBundle
from peygir.insights.corpus import read_tsv
from peygir.insights.models import Prediction
from peygir.insights.store import bundle_save, forget_loaded
from peygir.insights.training import TrainingData, bundle_train

from .conftest import DESKTOP, PHONE, screenshot
from .steps import POINT_6, check_page, fill_registration, staff_sign_in

# The insights tests' own small corpus (6 categories × 8 messages): trains in well under a second.
SMALL_CORPUS = Path(__file__).resolve().parents[2] / "peygir" / "insights" / "tests" / "data" / "small.tsv"
FLOODED = "آب‌گرفتگی شدید در کوچه؛ آب به خانه‌ها رفته و زیرزمین‌ها پر از آب شده است."
FLOODED_AGAIN = "آب به خانه‌های کوچه رفته؛ آب‌گرفتگی شدید است و زیرزمین‌ها پر از آب شده، کمک کنید."


@pytest.fixture
def insights_model(settings: Any, tmp_path: Path) -> Iterator[ModelBundle]:
    """A small trained model saved as the model in use (no auto-training, no LLM)."""
    settings.INSIGHTS = {
        **settings.INSIGHTS,
        "MODEL_DIR": tmp_path / "models",
        "AUTO_TRAIN": False,
        "LLM_BACKEND": "",
    }
    forget_loaded()
    bundle = bundle_train(TrainingData(read_tsv(SMALL_CORPUS), [], {"corpus": 48}))
    bundle_save(bundle)
    yield bundle
    forget_loaded()


def _submit(description: str, category: str, *, nudge: float = 0.0, phone: str = "09121110000") -> Case:
    return case_submit(
        channel=Case.Channel.WEB,
        message_type="report",
        category=category,
        description=description,
        lat=POINT_6[0] + nudge,
        lon=POINT_6[1] + nudge,
        contact_phone=phone,
    ).case


@pytest.mark.parametrize(
    ("width", "viewport"),
    [pytest.param("phone", PHONE, id="phone"), pytest.param("desktop", DESKTOP, id="desktop")],
)
def test_an_officer_sees_the_danger_suggestions_and_the_duplicate_in_the_case_panel(
    new_page: Any, insights_model: ModelBundle, officer6: Any, width: str, viewport: dict[str, int]
) -> None:
    earlier = _submit(FLOODED, "drainage")
    case = _submit(FLOODED_AGAIN, "drainage", nudge=0.0001, phone="09121110001")
    assert case.unit.code == "district-6"
    # The task ran when the case was committed: the prediction is stored, the priority raised.
    prediction = Prediction.objects.get(case=case)
    assert prediction.urgent is True
    assert [reason["code"] for reason in prediction.urgency_reasons] == ["flood"]

    page = new_page(viewport)
    staff_sign_in(page, "officer6")
    page.goto(f"/staff/cases/{case.public_id}/")
    panel = page.locator("#insights-panel")  # replaces #insights-slot once htmx has loaded it
    expect(panel).to_be_visible()
    expect(page.locator("#insights-slot")).to_have_count(0)
    expect(panel.locator(".insights-urgent")).to_contain_text("آب به خانه‌ها رفته است")
    suggestions = panel.locator(".insights-suggestions li")
    expect(suggestions).to_have_count(3)
    expect(panel.locator(".insights-suggestions")).to_contain_text(Category.objects.get(code="drainage").name)
    expect(suggestions.first).to_contain_text("٪")
    duplicates = panel.locator(".insights-duplicates li")
    expect(duplicates).to_have_count(1)
    expect(duplicates.first.get_by_role("link")).to_have_text(to_persian_digits(earlier.tracking_code))
    expect(duplicates.first.get_by_role("button", name="ادغام در این پرونده")).to_be_visible()
    check_page(page, phone=width == "phone")
    screenshot(page, f"insights-case-panel-{width}")
    # Looking changes nothing.
    assert Case.objects.get(pk=case.pk).phase == Case.Phase.REGISTERED
    assert Case.objects.count() == 2


def test_a_citizen_writing_near_an_existing_case_sees_the_possible_duplicate(
    new_page: Any, insights_model: ModelBundle
) -> None:
    existing = _submit("زباله‌های کوچه سه روز است جمع‌آوری نشده و بوی بد همه‌جا را گرفته است.", "waste")

    page = new_page(PHONE)
    page.goto("/register/")
    # The waste category, a description about uncollected rubbish, a pin in district 6.
    fill_registration(page)
    notice = page.locator("#insights-check .insights-check")
    expect(notice).to_contain_text("شاید همین موضوع پیش‌تر ثبت شده باشد")
    link = notice.get_by_role("link", name=to_persian_digits(existing.tracking_code))
    expect(link).to_have_attribute("href", f"/track/{existing.tracking_code}/")
    expect(notice.locator(".badge")).to_have_text(existing.get_phase_display())
    check_page(page, phone=True)
    screenshot(page, "insights-register-duplicate-phone")
    # The notice only informs: nothing was registered.
    assert list(Case.objects.values_list("pk", flat=True)) == [existing.pk]

    link.click()  # the citizen follows the existing case instead
    expect(page).to_have_title(re.compile(to_persian_digits(existing.tracking_code)))
    expect(page.get_by_role("heading", name="پیگیری پیام")).to_be_visible()
