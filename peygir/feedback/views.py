"""The citizen's survey page: reached from the response SMS (or the bot), no sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from peygir.core.errors import ApplicationError

from .forms import SurveyForm
from .selectors import survey_state
from .services import survey_answer

STATUS_CODES = {"open": 200, "used": 200, "reopened": 200, "expired": 410, "bad": 404}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The survey of one response: stars, fixed yes/no and a comment; once. Expired, used and bad
    links get their own explanation (410 / 200 / 404)."""
    state = survey_state(token)
    form = SurveyForm()
    status = STATUS_CODES[state.status]
    error = ""
    if request.method == "POST" and state.status == "open":
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                result = survey_answer(
                    token=token,
                    score=form.cleaned_data["score"],
                    fixed=form.cleaned_data["fixed"],
                    comment=form.cleaned_data["comment"],
                )
            except ApplicationError as exc:
                error, status = str(exc.detail), exc.status
            else:
                if result.objected:
                    messages.info(request, _("نظر شما ثبت شد و پیام دوباره برای رسیدگی باز شد."))
                else:
                    messages.success(request, _("از نظر شما سپاسگزاریم."))
                return redirect(reverse("feedback:survey", kwargs={"token": token}))
        else:
            status = 422
    context = {
        "state": state,
        "case": state.case,
        "form": form,
        "error": error,
        "track_url": (
            reverse("portal:track_case", kwargs={"code": state.case.tracking_code}) if state.case else ""
        ),
    }
    return render(request, "feedback/survey.html", context, status=status)
