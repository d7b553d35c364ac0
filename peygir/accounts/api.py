"""Sign-in endpoints: one-time code by SMS, then a bearer token (and a browser session)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import login
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from .auth import API_AUTH
from .services import api_token_create, api_token_revoke, otp_request, otp_verify, staff_password_authenticate

router = Router()


class OtpRequestIn(Schema):
    mobile: str = Field(..., max_length=20, description="شماره تلفن همراه، مانند ۰۹۱۲۱۲۳۴۵۶۷")


class OtpRequestOut(Schema):
    mobile: str
    expires_in: int


class OtpVerifyIn(Schema):
    mobile: str = Field(..., max_length=20)
    code: str = Field(..., max_length=10)


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_in: int


class MeOut(Schema):
    mobile: str | None
    name: str
    is_staff_member: bool


TOKEN_TTL = dt.timedelta(days=30)


def client_ip(request: HttpRequest) -> str | None:
    # Behind the reverse proxy, REMOTE_ADDR is set from X-Forwarded-For by the proxy configuration
    # (see docs/operations); trusting the header here would let anyone dodge the rate limit.
    return request.META.get("REMOTE_ADDR") or None


@router.post("/otp/request", response={202: OtpRequestOut}, summary="ارسال کد ورود")
def request_code(request: HttpRequest, payload: OtpRequestIn) -> Status:
    sent = otp_request(mobile=payload.mobile, ip=client_ip(request))
    return Status(
        202,
        OtpRequestOut(mobile=sent.mobile, expires_in=int((sent.expires_at - timezone.now()).total_seconds())),
    )


@router.post("/otp/verify", response=TokenOut, summary="ورود با کد یک‌بارمصرف")
def verify_code(request: HttpRequest, payload: OtpVerifyIn) -> TokenOut:
    user = otp_verify(mobile=payload.mobile, code=payload.code)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    key = api_token_create(user=user, name="otp", ttl=TOKEN_TTL)
    return TokenOut(token=key, expires_in=int(TOKEN_TTL.total_seconds()))


@router.get("/me", response=MeOut, auth=API_AUTH, summary="کاربر واردشده")
def me(request: HttpRequest) -> MeOut:
    user = request.auth  # type: ignore[attr-defined]
    return MeOut(
        mobile=user.mobile, name=str(user), is_staff_member=user.memberships.filter(is_active=True).exists()
    )


class PasswordIn(Schema):
    username: str = Field(..., max_length=150)
    password: str = Field(..., max_length=256)


STAFF_TOKEN_TTL = dt.timedelta(hours=12)


@router.post("/token", response=TokenOut, summary="توکن برای کارکنان (نام کاربری و گذرواژه)")
def staff_token(request: HttpRequest, payload: PasswordIn) -> TokenOut:
    user = staff_password_authenticate(
        username=payload.username, password=payload.password, ip=client_ip(request)
    )
    key = api_token_create(user=user, name="password", ttl=STAFF_TOKEN_TTL)
    return TokenOut(token=key, expires_in=int(STAFF_TOKEN_TTL.total_seconds()))


@router.post("/logout", response={204: None}, auth=API_AUTH, summary="خروج و باطل کردن توکن")
def logout(request: HttpRequest) -> Status:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        api_token_revoke(key=header[7:].strip())
    from django.contrib.auth import logout as session_logout

    session_logout(request)
    return Status(204, None)
