"""The citizen's own pages: sign-in by SMS code, sign-out, "my cases" and the actions on a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peygir.accounts.services import otp_request, otp_verify
from peygir.cases.models import Case
from peygir.cases.selectors import case_actions_for, cases_of_citizen
from peygir.cases.services import case_transition
from peygir.cases.workflow import Action
from peygir.core.errors import ApplicationError, NotFound
from peygir.core.text import mask_mobile
from peygir.feedback.selectors import objection_deadline, objection_open, rating_allowed, rating_for_response
from peygir.feedback.services import rating_submit

from .forms import CodeForm, NoteForm, PhoneForm, RatingForm
from .selectors import access_own_case
from .views import case_public_context

SESSION_MOBILE = "portal_otp_mobile"
SESSION_NEXT = "portal_otp_next"

citizen_required = login_required(login_url="portal:login")


def _safe_next(request: HttpRequest, target: str | None) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def login_phone(request: HttpRequest) -> HttpResponse:
    """Step 1 of signing in: the mobile number, to which a one-time code is sent."""
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(next_url or "portal:my_cases")
    status = 200
    if request.method == "POST":
        form = PhoneForm(request.POST)
        if form.is_valid():
            try:
                sent = otp_request(mobile=form.cleaned_data["mobile"], ip=request.META.get("REMOTE_ADDR"))
            except ApplicationError as exc:
                form.add_error("mobile", str(exc.detail))
            else:
                request.session[SESSION_MOBILE] = sent.mobile
                request.session[SESSION_NEXT] = next_url or ""
                return redirect("portal:login_code")
        status = 422
    else:
        form = PhoneForm(initial={"next": next_url or ""})
    return render(request, "portal/login.html", {"form": form, "nav": "login"}, status=status)


def login_code(request: HttpRequest) -> HttpResponse:
    """Step 2 of signing in: the code from the SMS."""
    mobile = request.session.get(SESSION_MOBILE)
    if not mobile:
        return redirect("portal:login")
    status = 200
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                user = otp_verify(mobile=mobile, code=form.cleaned_data["code"])
            except ApplicationError as exc:
                form.add_error("code", str(exc.detail))
            else:
                next_url = _safe_next(request, request.session.get(SESSION_NEXT))
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("خوش آمدید؛ وارد شدید."))
                return redirect(next_url or "portal:my_cases")
        status = 422
    else:
        form = CodeForm()
    return render(
        request,
        "portal/login_code.html",
        {"form": form, "masked_mobile": mask_mobile(mobile), "nav": "login"},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("از حساب خود خارج شدید."))
    return redirect("portal:home")


@citizen_required
def my_cases(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/my_cases.html", {"cases": cases_of_citizen(request.user), "nav": "my"})


def _case_page(request: HttpRequest, case: Case, status: int = 200, **forms: Any) -> HttpResponse:
    actions = case_actions_for(request.user, case)
    context = {
        **case_public_context(case),
        "nav": "my",
        "can_reply": Action.CITIZEN_REPLY in actions,
        "can_close": Action.CLOSE in actions,
        "can_object": Action.OBJECT in actions and objection_open(case),
        "objection_deadline": objection_deadline(case),
        "can_rate": rating_allowed(case),
        "rating": rating_for_response(case),
        "rate_form": forms.get("rate_form") or RatingForm(),
        "object_form": forms.get("object_form") or NoteForm(label=_("چرا از پاسخ راضی نیستید؟")),
        "reply_form": forms.get("reply_form") or NoteForm(label=_("پاسخ شما به پرسش کارشناس")),
    }
    return render(request, "portal/my_case.html", context, status=status)


def _own_case(request: HttpRequest, public_id: str) -> Case:
    try:
        return access_own_case(user=request.user, public_id=public_id)
    except NotFound as exc:
        raise Http404(str(exc.detail)) from exc


@citizen_required
def my_case(request: HttpRequest, public_id: str) -> HttpResponse:
    return _case_page(request, _own_case(request, public_id))


@require_POST
@citizen_required
def my_case_rate(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _own_case(request, public_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=422, rate_form=form)
    try:
        rating = rating_submit(
            case=case,
            citizen=request.user,
            score=form.cleaned_data["score"],
            fixed=form.cleaned_data["fixed"],
            comment=form.cleaned_data["comment"],
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("از نظر شما سپاسگزاریم."))
        if not rating.fixed and objection_open(case):
            messages.info(request, _("اگر مشکل رفع نشده است، می‌توانید تا پایان مهلت به پاسخ اعتراض کنید."))
    return redirect("portal:my_case", public_id=case.public_id)


def _note_action(
    request: HttpRequest, public_id: str, *, action: Action, form_key: str, label: str, done: str
) -> HttpResponse:
    case = _own_case(request, public_id)
    form = NoteForm(request.POST, label=label)
    if not form.is_valid():
        return _case_page(request, case, status=422, **{form_key: form})
    try:
        case_transition(case=case, action=action, actor=request.user, note=form.cleaned_data["note"])
    except ApplicationError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, done)
    return redirect("portal:my_case", public_id=case.public_id)


@require_POST
@citizen_required
def my_case_object(request: HttpRequest, public_id: str) -> HttpResponse:
    return _note_action(
        request,
        public_id,
        action=Action.OBJECT,
        form_key="object_form",
        label=_("چرا از پاسخ راضی نیستید؟"),
        done=_("اعتراض شما ثبت شد و پیام دوباره بررسی می‌شود."),
    )


@require_POST
@citizen_required
def my_case_reply(request: HttpRequest, public_id: str) -> HttpResponse:
    return _note_action(
        request,
        public_id,
        action=Action.CITIZEN_REPLY,
        form_key="reply_form",
        label=_("پاسخ شما به پرسش کارشناس"),
        done=_("پاسخ شما برای کارشناس فرستاده شد."),
    )


@require_POST
@citizen_required
def my_case_close(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _own_case(request, public_id)
    try:
        case_transition(case=case, action=Action.CLOSE, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("پیام بسته شد. از همراهی شما سپاسگزاریم."))
    return redirect("portal:my_case", public_id=case.public_id)
