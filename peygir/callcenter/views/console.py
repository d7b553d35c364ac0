"""The agent console: presence, the screen pop (server-sent events), registering and closing calls."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from peygir.cases.selectors import case_get_by_tracking_code
from peygir.catalog.selectors import message_types_all
from peygir.core.errors import ApplicationError
from peygir.core.text import normalize_mobile, to_latin_digits
from peygir.org.models import Unit
from peygir.staff.views.common import staff_render

from ..agents import agent_state_get, agent_state_set, long_talk_seconds
from ..forms import CloseForm, FollowUpForm, LookupForm, RegisterCaseForm, StateForm, TransferForm
from ..knowledge import access_article, article_search, article_suggestions, article_use
from ..models import Call
from ..selectors import (
    caller_profile,
    cases_by_phone,
    console_events_after,
    console_last_event_id,
    current_call_for,
)
from ..services import call_close, call_follow_up, call_register_case, call_transfer
from .common import category_choices, console_required, load_call, place_choices

SSE_POLL_SECONDS = 0.2


def _register_form(data: Any = None, call: Call | None = None) -> RegisterCaseForm:
    initial = {"message_type": "request"}
    if call is not None and call.citizen is not None:
        initial["contact_name"] = str(call.citizen)
    return RegisterCaseForm(
        data,
        initial=initial,
        categories=category_choices(),
        types=[(t.code, t.name) for t in message_types_all()],
        places=place_choices(),
    )


def _panel_context(request: HttpRequest, call: Call, **extra: Any) -> dict[str, Any]:
    return {
        "call": call,
        "profile": caller_profile(call=call),
        "register_form": extra.pop("register_form", None) or _register_form(call=call),
        "close_form": extra.pop("close_form", None) or CloseForm(),
        "transfer_form": TransferForm(),
        "linked_cases": list(call.cases.select_related("category")),
        **extra,
    }


def _panel(request: HttpRequest, call: Call, *, status: int = 200, **extra: Any) -> HttpResponse:
    return render(
        request, "callcenter/_call_panel.html", _panel_context(request, call, **extra), status=status
    )


@console_required
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    state = agent_state_get(request.user)
    call = current_call_for(request.user)
    context: dict[str, Any] = {
        "nav_section": "console",
        "state": state,
        "state_form": StateForm(initial={"state": state.state}),
        "talk_minutes": long_talk_seconds(state, state.since) // 60,
        "after_id": console_last_event_id(request.user),
        "lookup_form": LookupForm(),
    }
    if call is not None:
        context.update(_panel_context(request, call))
    return staff_render(request, "callcenter/console.html", context)


@console_required
@require_POST
def console_state(request: HttpRequest) -> HttpResponse:
    form = StateForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            agent_state_set(user=request.user, state=form.cleaned_data["state"])
        except ApplicationError as exc:
            error = str(exc.detail)
    else:
        error = " ".join(str(e) for e in form.errors.get("state", []))
    state = agent_state_get(request.user)
    if getattr(request, "htmx", False):
        return render(
            request,
            "callcenter/_state.html",
            {"state": state, "state_form": StateForm(initial={"state": state.state}), "state_error": error},
            status=422 if error else 200,
        )
    return redirect("callcenter:console")


def _sse(event_id: int, kind: str, data: dict[str, Any]) -> str:
    return f"id: {event_id}\nevent: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _stream(user: Any, after: int) -> Iterator[str]:
    """Console events as SSE for at most CALLCENTER_SSE_SECONDS; the browser then reconnects with
    Last-Event-ID. Polls the small ConsoleEvent table every 0.2 s."""
    deadline = time.monotonic() + int(settings.PEYGIR.get("CALLCENTER_SSE_SECONDS", 120))
    last_beat = time.monotonic()
    yield "retry: 1000\n\n"
    try:
        while time.monotonic() < deadline:
            for event in console_events_after(user, after):
                after = event.pk
                data: dict[str, Any] = {"at": event.event_at.timestamp()}
                if event.call is not None:
                    data.update(call=str(event.call.public_id), status=event.call.status)
                yield _sse(event.pk, event.kind, data)
            if time.monotonic() - last_beat > 15:
                last_beat = time.monotonic()
                yield ": keep-alive\n\n"
            time.sleep(SSE_POLL_SECONDS)
    finally:
        if not connection.in_atomic_block:  # the tests hold the whole request in one transaction
            close_old_connections()


@console_required
@require_GET
def console_events(request: HttpRequest) -> StreamingHttpResponse:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after") or ""
    after = int(raw) if raw.isdigit() else console_last_event_id(request.user)
    response = StreamingHttpResponse(_stream(request.user, after), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@console_required
@require_GET
def call_panel(request: HttpRequest, public_id: str) -> HttpResponse:
    call = load_call(request, public_id)
    return _panel(request, call)


@console_required
@require_POST
def call_case(request: HttpRequest, public_id: str) -> HttpResponse:
    call = load_call(request, public_id)
    form = _register_form(request.POST, call=call)
    if not form.is_valid():
        return _panel(request, call, status=422, register_form=form)
    data = form.cleaned_data
    place = Unit.objects.filter(code=data["place"]).first() if data["place"] else None
    try:
        case = call_register_case(
            call=call,
            actor=request.user,
            category=data["category"],
            message_type=data["message_type"],
            description=data["description"],
            place=place,
            address=data["address"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
        )
    except ApplicationError as exc:
        return _panel(request, call, status=422, register_form=form, register_error=str(exc.detail))
    return _panel(request, call, registered=case)


@console_required
@require_POST
def call_follow(request: HttpRequest, public_id: str) -> HttpResponse:
    call = load_call(request, public_id)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        return _panel(request, call, status=422, follow_error=_("یادداشت پیگیری را بنویسید."))
    try:
        case = call_follow_up(
            call=call,
            actor=request.user,
            case_public_id=form.cleaned_data["case"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        return _panel(request, call, status=exc.status, follow_error=str(exc.detail))
    return _panel(request, call, followed=case)


@console_required
@require_POST
def call_transfer_view(request: HttpRequest, public_id: str) -> HttpResponse:
    call = load_call(request, public_id)
    form = TransferForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("شماره داخلی مقصد را درست وارد کنید."))
        call = call_transfer(call=call, actor=request.user, target=form.cleaned_data["target"])
    except ApplicationError as exc:
        return _panel(request, call, status=422, transfer_error=str(exc.detail))
    return _panel(request, call, transferred=True)


@console_required
@require_POST
def call_close_view(request: HttpRequest, public_id: str) -> HttpResponse:
    call = load_call(request, public_id)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _panel(request, call, status=422, close_form=form)
    try:
        call = call_close(
            call=call,
            actor=request.user,
            disposition=form.cleaned_data["disposition"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        return _panel(request, call, status=exc.status, close_form=form, close_error=str(exc.detail))
    return render(request, "callcenter/_call_closed.html", {"call": call})


@console_required
@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """A case by tracking code, or the cases of a phone number (agents see the whole city)."""
    form = LookupForm(request.GET)
    context: dict[str, Any] = {"form": form, "cases": [], "error": ""}
    if form.is_valid():
        text = to_latin_digits(form.cleaned_data["q"]).strip()
        phone = normalize_mobile(text)
        if phone:
            context["cases"] = cases_by_phone(phone)
        else:
            try:
                context["cases"] = [case_get_by_tracking_code(text)]
            except ApplicationError as exc:
                context["error"] = str(exc.detail)
    else:
        context["error"] = _("کد رهگیری یا شماره تلفن را وارد کنید.")
    return render(request, "callcenter/_lookup.html", context, status=200 if not context["error"] else 422)


@console_required
@require_GET
def kb_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    category = request.GET.get("category", "")[:32]
    articles = article_search(query=query, category="") if query else article_suggestions(category=category)
    return render(
        request, "callcenter/_kb_results.html", {"articles": articles, "query": query, "category": category}
    )


@console_required
@require_POST
def kb_use(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        article = access_article(public_id=public_id)
    except ApplicationError as exc:
        raise Http404(str(exc.detail)) from exc
    call = current_call_for(request.user)
    article = article_use(article=article, actor=request.user, call=call)
    return render(request, "callcenter/_kb_article.html", {"article": article, "used": True})
