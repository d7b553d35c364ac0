from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from peygir.cases.models import Case
from peygir.cases.services import case_transition

from .conftest import POINT_7

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))


def _codes(response) -> list[str]:
    """Tracking codes (Latin digits) of the rows on a kartable page, in order."""
    from peygir.core.text import to_latin_digits

    rows = re.findall(r'class="code-link" href="/staff/cases/[^/]+/">([^<]+)</a>', response.content.decode())
    return [to_latin_digits(code) for code in rows]


def _counts(response) -> dict[str, str]:
    found = re.findall(
        r'data-tab="([a-z_]+)">[^<]*<span class="count">([^<]+)</span>', response.content.decode()
    )
    return dict(found)


@pytest.fixture
def worked(submit, officer6, manager6, district7):
    """District-6 cases in every kartable tab (for officer6), plus one referred out and one of district 7."""
    cases = {}
    cases["new"] = submit(description="چراغ کوچه خاموش است", category="lighting")
    cases["assigned"] = case_transition(case=submit(), action="assign", actor=officer6, assignee=officer6)
    cases["working"] = case_transition(case=submit(), action="accept", actor=officer6)
    asked = case_transition(case=submit(), action="accept", actor=officer6)
    cases["asking"] = case_transition(
        case=asked, action="request_info", actor=officer6, note="پلاک دقیق را بفرمایید"
    )
    answered = case_transition(case=submit(), action="accept", actor=officer6)
    cases["answered"] = case_transition(
        case=answered, action="respond", actor=officer6, resolution="fixed", note="جمع‌آوری شد."
    )
    cases["rejected"] = case_transition(
        case=submit(), action="reject", actor=officer6, resolution="invalid", note="پیام نامفهوم"
    )
    late = submit()
    Case.objects.filter(pk=late.pk).update(overdue_at=timezone.now(), is_special=True)
    cases["late"] = Case.objects.get(pk=late.pk)
    cases["sent_away"] = case_transition(
        case=submit(), action="refer", actor=officer6, unit=district7, note="در محدوده منطقه ۷ است"
    )
    cases["other_district"] = submit(point=POINT_7)
    return cases


EXPECTED_OFFICER6 = {
    "open": "۵",
    "new": "۳",
    "in_progress": "۱",
    "awaiting_citizen": "۱",
    "overdue": "۱",
    "referred_out": "۱",
    "responded": "۱",
    "closed": "۱",
}


@pytest.mark.django_db
def test_tabs_show_exact_counts(as_officer6, worked):
    response = as_officer6.get("/staff/")
    assert response.status_code == 200
    # Officers do not see the center's returned tab.
    assert _counts(response) == EXPECTED_OFFICER6


@pytest.mark.django_db
def test_supervisor_sees_the_returned_tab_with_its_count(as_supervisor, worked, officer6):
    case_transition(
        case=worked["working"], action="return_to_center", actor=officer6, note="مربوط به ما نیست"
    )
    counts = _counts(as_supervisor.get("/staff/"))
    assert counts["returned"] == "۱"


@pytest.mark.django_db
def test_each_tab_lists_exactly_its_cases(as_officer6, worked):
    code = {name: case.tracking_code for name, case in worked.items()}
    listed = {tab: sorted(_codes(as_officer6.get(f"/staff/?tab={tab}"))) for tab in EXPECTED_OFFICER6}
    assert listed == {
        "open": sorted([code["new"], code["assigned"], code["working"], code["asking"], code["late"]]),
        "new": sorted([code["new"], code["assigned"], code["late"]]),
        "in_progress": [code["working"]],
        "awaiting_citizen": [code["asking"]],
        "overdue": [code["late"]],
        "referred_out": [code["sent_away"]],
        "responded": [code["answered"]],
        "closed": [code["rejected"]],
    }


@pytest.mark.django_db
def test_filters_narrow_the_list_and_the_counts(as_officer6, worked):
    response = as_officer6.get("/staff/?category=lighting")
    assert _codes(response) == [worked["new"].tracking_code]
    assert _counts(response)["open"] == "۱"
    assert _counts(response)["closed"] == "۰"
    special = as_officer6.get("/staff/?special=yes")
    assert _codes(special) == [worked["late"].tracking_code]
    assert _codes(as_officer6.get("/staff/?type=complaint")) == []
    assert _codes(as_officer6.get("/staff/?channel=phone")) == []
    unit = worked["new"].unit.code
    assert worked["new"].tracking_code in _codes(as_officer6.get(f"/staff/?unit={unit}"))


@pytest.mark.django_db
def test_unit_filter_offers_only_units_in_scope_and_is_searchable(as_officer6, district6, district7):
    body = as_officer6.get("/staff/").content.decode()
    assert f'<option value="{district6.code}" data-search="{district6.name}"' in body
    assert f'value="{district7.code}"' not in body
    assert 'data-filter="#id_unit"' in body


@pytest.mark.django_db
def test_jalali_date_range_filters_by_registration_day(as_officer6, submit):
    with time_machine.travel(dt.datetime(2026, 11, 1, 12, 0, tzinfo=TEHRAN)):  # ۱۴۰۵/۰۸/۱۰
        early = submit()
    with time_machine.travel(dt.datetime(2026, 11, 22, 12, 0, tzinfo=TEHRAN)):  # ۱۴۰۵/۰۹/۰۱
        late = submit()
    assert _codes(as_officer6.get("/staff/?created_from=۱۴۰۵/۰۹/۰۱")) == [late.tracking_code]
    assert _codes(as_officer6.get("/staff/?created_to=1405/08/30")) == [early.tracking_code]
    both = as_officer6.get("/staff/?created_from=۱۴۰۵/۰۸/۱۰&created_to=۱۴۰۵/۰۹/۰۱&sort=created")
    assert _codes(both) == [early.tracking_code, late.tracking_code]


@pytest.mark.django_db
def test_bad_date_shows_a_persian_message_and_the_list_still_shows(as_officer6, case6):
    response = as_officer6.get("/staff/?created_from=۱۴۰۵/۱۳/۴۰")
    assert response.status_code == 200
    assert "تاریخ «۱۴۰۵/۱۳/۴۰» درست نیست؛ آن را مانند ۱۴۰۵/۰۹/۰۱ بنویسید." in response.content.decode()
    assert _codes(response) == [case6.tracking_code]


@pytest.mark.django_db
def test_reversed_date_range_is_reported(as_officer6, case6):
    response = as_officer6.get("/staff/?created_from=۱۴۰۵/۰۹/۱۰&created_to=۱۴۰۵/۰۹/۰۱")
    assert "«تا تاریخ» نباید پیش از «از تاریخ» باشد." in response.content.decode()


@pytest.mark.django_db
def test_search_finds_persian_letters_typed_as_arabic_and_the_reverse(as_officer6, submit):
    alley = submit(description="درخت خیابان ولیعصر شکسته است")
    submit(description="چاله بزرگ در بزرگراه")
    assert _codes(as_officer6.get("/staff/?q=وليعصر")) == [alley.tracking_code]  # Arabic ي
    assert _codes(as_officer6.get("/staff/?q=شكسته")) == [alley.tracking_code]  # Arabic ك
    arabic = submit(description="كيسه زباله در كوچه")
    assert _codes(as_officer6.get("/staff/?q=کیسه")) == [arabic.tracking_code]
    assert _codes(as_officer6.get(f"/staff/?q={alley.tracking_code}")) == [alley.tracking_code]


@pytest.mark.django_db
def test_sort_orders(as_officer6, submit):
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, 0, tzinfo=TEHRAN)):
        first = submit()
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=TEHRAN)):
        second = submit()
    assert _codes(as_officer6.get("/staff/?sort=-created")) == [second.tracking_code, first.tracking_code]
    assert _codes(as_officer6.get("/staff/?sort=created")) == [first.tracking_code, second.tracking_code]
    assert _codes(as_officer6.get("/staff/")) == [first.tracking_code, second.tracking_code]


@pytest.mark.django_db
def test_paging_by_25_with_persian_digits(as_officer6, submit):
    for _n in range(27):
        submit()
    first = as_officer6.get("/staff/")
    assert len(_codes(first)) == 25
    assert "صفحه ۱ از ۲" in first.content.decode()
    assert "۲۷ پرونده" in first.content.decode()
    second = as_officer6.get("/staff/?page=2")
    assert len(_codes(second)) == 2
    assert set(_codes(first)).isdisjoint(_codes(second))


@pytest.mark.django_db
def test_row_shows_badges_deadline_and_dates(as_officer6, worked):
    body = as_officer6.get("/staff/?tab=overdue").content.decode()
    assert 'class="badge badge-registered"' in body
    assert 'class="badge badge-overdue"' in body
    assert 'class="badge badge-special"' in body


@pytest.mark.django_db
def test_late_deadline_is_shown_in_red(as_officer6, case6):
    Case.objects.filter(pk=case6.pk).update(respond_by=timezone.now() - dt.timedelta(hours=3))
    body = as_officer6.get("/staff/").content.decode()
    assert re.search(r'class="small deadline-late">۳ ساعت تأخیر</div>', body)


@pytest.mark.django_db
def test_kartable_makes_the_same_number_of_queries_for_5_and_30_rows(as_officer6, submit, officer6):
    for _n in range(5):
        case_transition(case=submit(), action="accept", actor=officer6)
    as_officer6.get("/staff/")  # warm up (session, caches)
    with CaptureQueriesContext(connection) as few:
        assert as_officer6.get("/staff/?tab=open").status_code == 200
    for _n in range(25):
        submit()
    with CaptureQueriesContext(connection) as many:
        response = as_officer6.get("/staff/?tab=open")
    assert len(_codes(response)) == 25
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_htmx_rows_request_returns_only_the_rows_fragment(as_officer6, case6):
    response = as_officer6.get("/staff/?tab=new", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="kartable-rows")
    body = response.content.decode().strip()
    assert body.startswith('<tbody id="kartable-rows"')
    assert body.endswith("</tbody>")
    assert "<html" not in body
    assert 'id="kartable-counts"' not in body
    assert _codes(response) == [case6.tracking_code]


@pytest.mark.django_db
def test_htmx_counts_request_returns_only_the_tabs(as_officer6, case6):
    response = as_officer6.get("/staff/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="kartable-counts")
    body = response.content.decode().strip()
    assert body.startswith('<nav id="kartable-counts"')
    assert body.endswith("</nav>")
    assert "kartable-rows" not in body
    assert _counts(response)["new"] == "۱"


@pytest.mark.django_db
def test_page_polls_both_fragments_every_20_seconds(as_officer6):
    body = as_officer6.get("/staff/").content.decode()
    assert body.count('hx-trigger="every 20s"') == 2


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.django_db
def test_bulk_assign_reports_successes_and_each_failure_with_its_reason(
    as_officer6, submit, officer6, manager6, case7
):
    first, second = submit(), submit()
    working = case_transition(case=submit(), action="accept", actor=officer6)
    response = as_officer6.post(
        "/staff/assign/",
        {
            "cases": [
                str(first.public_id),
                str(second.public_id),
                str(working.public_id),
                str(case7.public_id),
            ],
            "assignee": str(manager6.pk),
            "next": "/staff/?tab=new",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/?tab=new"
    first.refresh_from_db()
    second.refresh_from_db()
    working.refresh_from_db()
    case7.refresh_from_db()
    assert (first.assignee_id, first.phase) == (manager6.pk, Case.Phase.ASSIGNED)
    assert (second.assignee_id, second.phase) == (manager6.pk, Case.Phase.ASSIGNED)
    assert (working.assignee_id, working.phase) == (officer6.pk, Case.Phase.IN_PROGRESS)
    assert case7.assignee_id is None
    messages = _messages(response)
    assert messages[0] == "۲ پرونده به مدیر منطقه ۶ سپرده شد."
    assert messages[1].startswith("۲ پرونده سپرده نشد — ")
    assert "«assign» در وضعیت «در حال رسیدگی» ممکن نیست" in messages[1]
    assert "پرونده‌ای با این شناسه پیدا نشد." in messages[1]


@pytest.mark.django_db
def test_bulk_assign_to_someone_outside_the_units_changes_nothing(as_officer6, case6, officer7):
    response = as_officer6.post(
        "/staff/assign/", {"cases": [str(case6.public_id)], "assignee": str(officer7.pk)}
    )
    assert _messages(response) == ["کارشناس را انتخاب کنید."]
    case6.refresh_from_db()
    assert case6.assignee_id is None


@pytest.mark.django_db
def test_bulk_assign_form_lists_the_officers_of_the_units(as_officer6, officer6, manager6, officer7):
    body = as_officer6.get("/staff/").content.decode()
    assert f'<option value="{officer6.pk}">کارشناس منطقه ۶</option>' in body
    assert f'<option value="{manager6.pk}">مدیر منطقه ۶</option>' in body
    assert f'<option value="{officer7.pk}">' not in body


@pytest.mark.django_db
def test_notifications_page_lists_unread_and_marks_all_read(as_officer6, officer6):
    from peygir.notifications.models import Notification

    for text in ("پرونده تازه", "مهلت نزدیک است"):
        Notification.objects.create(
            channel=Notification.Channel.INAPP,
            to_user=officer6,
            body=text,
            kind="test",
            status=Notification.Status.SENT,
        )
    kartable = as_officer6.get("/staff/").content.decode()
    assert '<span class="nav-count"' in kartable
    page = as_officer6.get("/staff/notifications/").content.decode()
    assert "پرونده تازه" in page and "مهلت نزدیک است" in page
    response = as_officer6.post("/staff/notifications/read/")
    assert _messages(response) == ["۲ اعلان خوانده‌شده علامت خورد."]
    assert Notification.objects.filter(to_user=officer6, read_at__isnull=True).count() == 0
    assert '<span class="nav-count"' not in as_officer6.get("/staff/").content.decode()
