"""The gates in front of every staff page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from .selectors import (
    is_staff_member,
    is_supervisor,
    otp_verified,
    totp_device_confirmed,
    two_factor_required,
)

View = Callable[..., HttpResponseBase]


def second_factor_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """To the code page when the user has a confirmed device, to enrolment otherwise (with ``next``)."""
    name = "staff:verify" if totp_device_confirmed(request.user) is not None else "staff:setup"
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse(name)}?{query}")


def staff_required(view: View) -> View:
    """Signed in (else to the sign-in page), with an active membership (else 403), and past the TOTP
    second factor when ``two_factor_required`` says so (else to the code or enrolment page)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(user):
            raise PermissionDenied
        if two_factor_required(user) and not otp_verified(user):
            return second_factor_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def supervisor_required(view: View) -> View:
    """staff_required, and a 137-center supervisor; anyone else gets 404 (the boards are not theirs)."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_supervisor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
