"""The staff navigation's link to the integrity channel, for people with an integrity role only."""

from __future__ import annotations

from typing import Any

from django import template

from ..keys import has_role

register = template.Library()


@register.simple_tag(takes_context=True)
def integrity_nav_allowed(context: Any) -> bool:
    request = context.get("request")
    return bool(request is not None and has_role(getattr(request, "user", None)))
