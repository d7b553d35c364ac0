"""The feedback panel of the staff case page: ratings, the objection mark, quality reviews, and for
137-center supervisors the review and special-case forms."""

from __future__ import annotations

from typing import Any

from django import template

from peygir.cases.models import Case
from peygir.cases.selectors import actor_roles_for_case
from peygir.cases.workflow import ActorRole

from ..forms import ReviewForm, SpecialForm
from ..selectors import ratings_of_case, review_for_response, reviews_of_case

register = template.Library()


@register.inclusion_tag("feedback/_case_panel.html", takes_context=True)
def feedback_case_panel(context: Any, case: Case) -> dict[str, Any]:
    """The panel's context; the page that includes it has already checked that the user sees the case."""
    request = context.get("request")
    user = getattr(request, "user", None)
    is_supervisor = ActorRole.SUPERVISOR in actor_roles_for_case(user, case)
    reviews = reviews_of_case(case)
    current_reviewed = (
        case.responded_at is not None and review_for_response(case, case.responded_at) is not None
    )
    special_initial = {
        "is_special": "yes" if case.is_special else "no",
        "estimated": case.financial_stakes if case.financial_stakes is not None else "",
        "realised": case.financial_realised if case.financial_realised is not None else "",
    }
    return {
        "case": case,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "ratings": ratings_of_case(case),
        "reviews": reviews,
        "is_supervisor": is_supervisor,
        "can_review": is_supervisor and case.responded_at is not None and not current_reviewed,
        "review_form": ReviewForm(),
        "special_form": SpecialForm(initial=special_initial),
    }
