"""Pages and fragments of the insights app: the case panel, accuracy, trends, the citizen's pre-check."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peygir.cases.models import Case
from peygir.cases.services import case_transition
from peygir.cases.workflow import Action
from peygir.catalog.selectors import category_active_find
from peygir.core.errors import ApplicationError, NotFound, RateLimited
from peygir.core.jalali import JalaliParseError, parse_date
from peygir.core.ratelimit import attempt_record, check_not_exceeded
from peygir.staff.decorators import staff_required, supervisor_required
from peygir.staff.views.common import staff_render

from .duplicates import duplicate_candidates
from .forms import CheckForm
from .lexicon import corruption_hits
from .llm import AssistantError
from .registry import assistant, classifier
from .selectors import access_insights_case, accuracy_by_week, case_panel, trend_districts_for
from .services import prediction_accept
from .trends import emerging_terms, week_start

# The protected integrity channel (INTEGRITY.md): only a link; nothing the citizen typed goes with it.
INTEGRITY_URL = "/integrity/"
CHECKS_ALLOWED = 120
CHECK_WINDOW_SECONDS = 600
# The agent console asks for suggestions about what the caller said (SUGGEST_MIN..MAX characters).
SUGGEST_MIN = 10
SUGGEST_MAX = 5000


def _load(request: HttpRequest, public_id: Any) -> Case:
    try:
        return access_insights_case(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc


def _panel(
    request: HttpRequest, case: Case, *, error: str = "", message: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "case": case,
        "panel": case_panel(case=case, user=request.user),
        "error": error,
        "message": message,
    }
    return render(request, "insights/_panel.html", context, status=status)


@require_GET
@staff_required
def case_panel_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _panel(request, _load(request, public_id))


def _after_post(request: HttpRequest, case: Case, *, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("staff:case", args=[case.public_id])
        return response
    return HttpResponseRedirect(reverse("staff:case", args=[case.public_id]))


@require_POST
@staff_required
def accept_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _load(request, public_id)
    try:
        prediction_accept(case=case, actor=request.user, category_code=request.POST.get("category", ""))
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc
    except ApplicationError as exc:
        case.refresh_from_db()
        return _panel(request, case, error=str(exc.detail), status=exc.status)
    return _after_post(request, case, message=_("دسته پیشنهادی پذیرفته شد."))


@require_POST
@staff_required
def merge_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Merge this case into one of its possible duplicates (one step, the workflow's merge)."""
    case = _load(request, public_id)
    try:
        target = access_insights_case(user=request.user, public_id=request.POST.get("target", ""))
        case_transition(case=case, action=Action.MERGE, target=target, actor=request.user)
    except NotFound as exc:
        return _panel(request, case, error=str(exc.detail), status=404)
    except ApplicationError as exc:
        case.refresh_from_db()
        return _panel(request, case, error=str(exc.detail), status=exc.status)
    return _after_post(request, case, message=_("پرونده ادغام شد."))


@require_POST
@staff_required
def assist_view(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Summary or draft reply from the optional LLM, for the officer to read or edit (nothing is saved)."""
    case = _load(request, public_id)
    helper = assistant()
    if helper is None:
        raise Http404(_("دستیار زبانی فعال نیست."))
    kind = request.POST.get("kind", "")
    if kind not in ("summary", "draft"):
        return render(request, "insights/_assist.html", {"error": _("درخواست نامعتبر است.")}, status=422)
    try:
        if kind == "summary":
            text = helper.summarise(case.description)
        else:
            text = helper.draft_reply(
                text=case.description,
                category=case.category.name if case.category is not None else "",
                unit=case.unit.name,
            )
    except AssistantError:
        return render(
            request,
            "insights/_assist.html",
            {"error": _("دستیار زبانی پاسخ نداد؛ کمی بعد دوباره تلاش کنید.")},
            status=502,
        )
    return render(request, "insights/_assist.html", {"kind": kind, "text": text})


@require_GET
@supervisor_required
def accuracy_view(request: HttpRequest) -> HttpResponse:
    model = classifier()
    context = {
        "weeks": accuracy_by_week(weeks=12),
        "model": model,
        "nav_section": "insights_accuracy",
    }
    return staff_render(request, "insights/accuracy.html", context)


@require_GET
@staff_required
def trends_view(request: HttpRequest) -> HttpResponse:
    districts = list(trend_districts_for(request.user))
    if not districts:
        raise Http404
    today = timezone.localtime().date()
    error = ""
    week = week_start(today)
    if request.GET.get("week"):
        raw = request.GET["week"]
        try:
            week = week_start(dt.date.fromisoformat(raw) if raw[:2] in ("19", "20") else parse_date(raw))
        except (JalaliParseError, ValueError):
            error = _("تاریخ را به شکل ۱۴۰۴/۰۱/۱۵ بنویسید.")
    terms = emerging_terms(district_ids=[d.pk for d in districts], week=week)
    rows = [(district, terms[district.pk]) for district in districts if district.pk in terms]
    context = {
        "rows": rows,
        "week": week,
        "week_end": week + dt.timedelta(days=6),
        "previous": week - dt.timedelta(weeks=1),
        "next": week + dt.timedelta(weeks=1) if week + dt.timedelta(weeks=1) <= today else None,
        "error": error,
        "district_count": len(districts),
        "nav_section": "insights_trends",
    }
    return staff_render(request, "insights/trends.html", context, status=422 if error else 200)


@require_GET
def check_view(request: HttpRequest) -> HttpResponse:
    """Before the citizen submits: cases nearby that may report the same thing (tracking code and
    public status only; nothing about who wrote them), and the integrity channel when the text reads
    like a corruption report. An HTML fragment for the register page's script."""
    client = f"insights-check:{request.META.get('REMOTE_ADDR') or '-'}"
    try:
        check_not_exceeded(
            client, limit=CHECKS_ALLOWED, message=_("درخواست‌ها زیاد بود؛ کمی بعد دوباره تلاش کنید.")
        )
    except RateLimited:
        return HttpResponse(status=429)
    attempt_record(client, window_seconds=CHECK_WINDOW_SECONDS)
    form = CheckForm(request.GET)
    if not form.is_valid():
        return render(request, "insights/_check.html", {"form": form}, status=422)
    data = form.cleaned_data
    codes = [data["category"]] if data.get("category") else []
    model = classifier()
    if model is not None and data["description"]:
        codes += [scored.label for scored in model.predict([data["description"]])[0].category]
    duplicates = duplicate_candidates(
        text=data["description"], lat=data.get("lat"), lon=data.get("lon"), categories=codes, limit=3
    )
    context = {
        "duplicates": duplicates,
        "integrity": bool(corruption_hits(data["description"])),
        "integrity_url": INTEGRITY_URL,
    }
    return render(request, "insights/_check.html", context)


@require_GET
@staff_required
def suggest_view(request: HttpRequest) -> HttpResponse:
    """For the agent console: the classifier's three likeliest categories for a caller's words, as
    JSON ``{"suggestions": [{"code", "name", "probability"}]}`` (empty when no model is trained).
    Only active categories are offered. 422 with a Persian message for a missing or too long text."""
    text = request.GET.get("text", "").strip()
    if not SUGGEST_MIN <= len(text) <= SUGGEST_MAX:
        message = _("برای پیشنهاد دسته، شرح پیام باید میان %(low)s و %(high)s نویسه باشد.") % {
            "low": SUGGEST_MIN,
            "high": SUGGEST_MAX,
        }
        return JsonResponse({"suggestions": [], "error": message}, status=422)
    model = classifier()
    if model is None:
        return JsonResponse({"suggestions": []})
    suggestions = []
    for item in model.predict([text])[0].category:
        category = category_active_find(item.label)
        if category is not None:
            suggestions.append(
                {"code": item.label, "name": category.name, "probability": round(item.probability, 3)}
            )
    return JsonResponse({"suggestions": suggestions})
