from __future__ import annotations

import datetime as dt
from typing import Any

import jdatetime
import pytest
from django.test import Client
from django.urls import reverse

from peygir.audit.models import AuditEntry
from peygir.performance.models import KpiWeights, Report
from peygir.performance.periods import period_parse
from peygir.performance.reports.services import report_generate
from peygir.performance.rollups import rollup_consume_all

from .conftest import sign_in


def _this_month() -> str:
    today = jdatetime.date.today()
    return f"{today.year}-{today.month:02d}"


@pytest.fixture
def data(submit: Any) -> None:
    submit()
    submit()
    rollup_consume_all(lag=dt.timedelta(0))


@pytest.mark.django_db
def test_supervisor_sees_the_evaluation_table_with_linked_numbers(data: Any, supervisor: Any) -> None:
    client = sign_in(Client(), supervisor)
    response = client.get(reverse("performance:evaluation"), {"period": _this_month()})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<tr data-unit="district-') == 22
    drill = f"/staff/performance/cases/?unit=district-6&amp;period={_this_month()}&amp;metric=registered"
    assert f'<a href="{drill}">۲</a>' in html
    listed = client.get(drill.replace("&amp;", "&"))
    assert listed.status_code == 200
    assert listed.content.decode().count('class="code-link"') == 2


@pytest.mark.django_db
def test_bad_period_falls_back_to_this_month(data: Any, supervisor: Any) -> None:
    response = sign_in(Client(), supervisor).get(reverse("performance:evaluation"), {"period": "9999-99"})
    assert response.status_code == 200
    assert "این دوره شناخته نیست" in response.content.decode()


@pytest.mark.django_db
def test_manager_sees_own_district_scorecard_but_not_another(data: Any, manager6: Any) -> None:
    client = sign_in(Client(), manager6)
    assert client.get(reverse("performance:scorecard", args=["district-6"])).status_code == 200
    assert client.get(reverse("performance:scorecard", args=["district-7"])).status_code == 404
    assert client.get(reverse("performance:evaluation")).status_code == 404
    assert client.get(reverse("performance:mine")).url == reverse(
        "performance:scorecard", args=["district-6"]
    )
    drill = reverse("performance:cases")
    assert (
        client.get(drill, {"unit": "district-7", "period": _this_month(), "metric": "registered"}).status_code
        == 404
    )
    assert (
        client.get(drill, {"unit": "district-6", "period": _this_month(), "metric": "nonsense"}).status_code
        == 404
    )
    assert (
        client.get(drill, {"unit": "district-6", "period": "bad", "metric": "registered"}).status_code == 404
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "citizen", "officer6", "officer7"])
def test_others_get_no_evaluation_page(data: Any, who: str, request: Any) -> None:
    client = Client()
    if who != "anonymous":
        sign_in(client, request.getfixturevalue(who))
    urls = [
        reverse("performance:evaluation"),
        reverse("performance:scorecard", args=["district-6"]),
        reverse("performance:dashboard"),
        reverse("performance:dashboard_live"),
        reverse("performance:dashboard_hotspots"),
        reverse("performance:weights"),
        reverse("performance:reports"),
        reverse("performance:cases") + f"?unit=district-6&period={_this_month()}&metric=registered",
    ]
    expected = {"anonymous": 302, "citizen": 403}.get(who, 404)
    for url in urls:
        assert client.get(url).status_code == expected, url


@pytest.mark.django_db
def test_dashboard_shows_today_and_polls(data: Any, supervisor: Any) -> None:
    client = sign_in(Client(), supervisor)
    page = client.get(reverse("performance:dashboard")).content.decode()
    assert 'id="today-count">۲<' in page
    assert f'hx-get="{reverse("performance:dashboard_live")}"' in page
    assert "<svg" in page and "<script>" not in page and 'style="' not in page
    live = client.get(reverse("performance:dashboard_live"), HTTP_HX_REQUEST="true").content.decode()
    assert live.startswith('\n<div id="dashboard-live"') or live.lstrip().startswith(
        '<div id="dashboard-live"'
    )
    hotspots = client.get(reverse("performance:dashboard_hotspots")).json()
    assert hotspots["max_count"] == 2 and len(hotspots["features"]) == 1


@pytest.mark.django_db
def test_weights_are_saved_by_a_supervisor_and_bad_input_changes_nothing(
    supervisor: Any, manager6: Any
) -> None:
    client = sign_in(Client(), supervisor)
    url = reverse("performance:weights")
    good = {
        "on_time_response": "50",
        "on_time_resolution": "10",
        "satisfaction": "20",
        "objection": "10",
        "fixed": "10",
    }
    for bad in ({**good, "fixed": "101"}, {**good, "satisfaction": "x"}, dict.fromkeys(good, "0")):
        response = client.post(url, bad)
        assert response.status_code == 400
        assert not KpiWeights.objects.exists()
    assert "وزن نباید بیشتر از ۱۰۰ باشد." in client.post(url, {**good, "fixed": "101"}).content.decode()
    assert client.post(url, good).status_code == 302
    row = KpiWeights.objects.get()
    assert (row.on_time_response, row.fixed, row.updated_by) == (50, 10, supervisor)
    assert AuditEntry.objects.filter(action="performance.weights").count() == 1
    # a manager may not
    assert sign_in(Client(), manager6).post(url, {**good, "fixed": "0"}).status_code == 404
    assert KpiWeights.objects.get().fixed == 10


@pytest.mark.django_db
def test_reports_are_made_and_downloaded_only_within_scope(
    data: Any, supervisor: Any, manager6: Any, officer6: Any
) -> None:
    manager = sign_in(Client(), manager6)
    assert (
        manager.post(
            reverse("performance:report_create"),
            {"unit": "district-7", "period": _this_month(), "format": "xlsx"},
        ).status_code
        == 400
    )
    assert (
        manager.post(
            reverse("performance:report_create"), {"unit": "district-6", "period": "1", "format": "xlsx"}
        ).status_code
        == 400
    )
    assert not Report.objects.exists()
    response = manager.post(
        reverse("performance:report_create"),
        {"unit": "district-6", "period": _this_month(), "format": "xlsx"},
    )
    assert response.status_code == 302
    mine = Report.objects.get()
    download = manager.get(reverse("performance:report_download", args=[mine.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    other = report_generate(
        unit=mine.unit.parent, period=period_parse(_this_month()), fmt="pdf"
    )  # the center
    assert manager.get(reverse("performance:report_download", args=[other.pk])).status_code == 404
    assert (
        sign_in(Client(), officer6).get(reverse("performance:report_download", args=[mine.pk])).status_code
        == 404
    )
    assert (
        sign_in(Client(), supervisor).get(reverse("performance:report_download", args=[other.pk])).status_code
        == 200
    )
