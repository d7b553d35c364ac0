"""Template helpers of the call center (the staff navigation asks who may open the console)."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import can_use_console

register = template.Library()


@register.simple_tag
def console_allowed(user: Any) -> bool:
    """True for an agent or a supervisor (cached per request on the user by staff_scope)."""
    return can_use_console(user)
