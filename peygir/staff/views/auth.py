"""Signing in: password, then the TOTP second factor (code or enrolment) where it is required."""

from __future__ import annotations

import base64
import io
from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peygir.accounts.services import staff_password_authenticate
from peygir.core.errors import ApplicationError

from ..forms import CodeForm, SignInForm
from ..selectors import otp_verified, totp_device_confirmed, two_factor_required
from ..services import totp_check, totp_device_pending, totp_enrol_confirm
from .common import client_ip, safe_next


def _with_next(name: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': next_url})}")


def _after_password(request: HttpRequest, next_url: str) -> HttpResponseRedirect:
    if two_factor_required(request.user) and not otp_verified(request.user):
        name = "staff:verify" if totp_device_confirmed(request.user) is not None else "staff:setup"
        return _with_next(name, next_url)
    return HttpResponseRedirect(next_url)


def sign_in(request: HttpRequest) -> HttpResponse:
    """The staff sign-in page: username and password (rate-limited by the service)."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = SignInForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = staff_password_authenticate(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except ApplicationError as exc:
            error, status = str(exc.detail), exc.status
        else:
            login(request, user)
            return _after_password(request, next_url)
    elif request.method == "POST":
        status = 422
    return render(
        request, "staff/login.html", {"form": form, "error": error, "next": next_url}, status=status
    )


def _second_factor_gate(request: HttpRequest) -> HttpResponse | None:
    """Where a person who may not be on a second-factor page goes instead (or None to stay)."""
    if not request.user.is_authenticated:
        return redirect("staff:login")
    if not two_factor_required(request.user) or otp_verified(request.user):
        return redirect(safe_next(request, request.GET.get("next")))
    return None


def verify(request: HttpRequest) -> HttpResponse:
    """The second factor: a code from the authenticator app (failed codes are rate-limited)."""
    gate = _second_factor_gate(request)
    if gate is not None:
        return gate
    device = totp_device_confirmed(request.user)
    if device is None:
        return _with_next("staff:setup", safe_next(request, request.GET.get("next")))
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = CodeForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            totp_check(device=device, token=form.cleaned_data["code"])
        except ApplicationError as exc:
            error, status = str(exc.detail), exc.status
        else:
            django_otp.login(request, device)
            return HttpResponseRedirect(next_url)
    elif request.method == "POST":
        error, status = _("کد شش‌رقمی را وارد کنید."), 422
    return render(
        request, "staff/verify.html", {"form": form, "error": error, "next": next_url}, status=status
    )


def _qr_data_uri(text: str) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=5, border=2, xmldecl=False, dark="#1b2330")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def setup(request: HttpRequest) -> HttpResponse:
    """Enrolment of the second factor: the QR code and the secret, confirmed with a first code.

    Only for people who must use a second factor and have no confirmed device yet: replacing a
    device takes an administrator, never just the password.
    """
    gate = _second_factor_gate(request)
    if gate is not None:
        return gate
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if totp_device_confirmed(request.user) is not None:
        return _with_next("staff:verify", next_url)
    device = totp_device_pending(user=request.user)
    form = CodeForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        try:
            totp_enrol_confirm(device=device, token=form.cleaned_data["code"])
        except ApplicationError as exc:
            error, status = str(exc.detail), exc.status
        else:
            django_otp.login(request, device)
            messages.success(request, _("ورود دومرحله‌ای فعال شد."))
            return HttpResponseRedirect(next_url)
    elif request.method == "POST":
        error, status = _("کد شش‌رقمی را وارد کنید."), 422
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "error": error,
        "next": next_url,
        "qr": _qr_data_uri(device.config_url),
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "staff/setup.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("از سامانه خارج شدید."))
    return redirect("staff:login")
