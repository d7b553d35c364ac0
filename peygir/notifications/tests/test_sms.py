from __future__ import annotations

import datetime as dt

import pytest

from peygir.notifications.sms import TEHRAN, quiet_hours_end, sms_fit, sms_is_gsm7, sms_length, sms_parts

CODE = "۱۲۳۴۵۶۷۸۹"
URL = "http://127.0.0.1:8000/track/123456789/"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("س" * 70, 1),
        ("س" * 71, 2),
        ("س" * 134, 2),
        ("س" * 135, 3),
        # One Persian letter turns the whole message into UCS-2.
        ("a" * 69 + "س", 1),
        ("a" * 70 + "س", 2),
        # Extension characters of GSM-7 take two septets.
        ("{" * 80, 1),
        ("{" * 81, 2),
        # Outside the Basic Multilingual Plane a character is two UCS-2 units.
        ("🙂" * 35, 1),
        ("🙂" * 36, 2),
    ],
)
def test_sms_parts_counts_gsm7_and_ucs2_parts(text, parts):
    assert sms_parts(text) == parts


def test_persian_digits_and_ellipsis_are_not_gsm7_but_ascii_and_gsm_letters_are():
    assert sms_is_gsm7("Code 123 @ £ é {x}") is True
    assert sms_is_gsm7("کد ۱۲۳") is False
    assert sms_is_gsm7("wait…") is False
    assert sms_length("a[b]") == 6
    assert sms_length("سلام") == 4


def test_sms_fit_returns_a_text_that_fits_unchanged():
    text = f"پیام شما ثبت شد. کد رهگیری: {CODE}"

    assert sms_fit(text, max_parts=1) == text


def test_sms_fit_cuts_at_a_word_boundary_and_keeps_the_tracking_code():
    text = f"پیام {CODE} شما برای رسیدگی به «" + "واحد " * 40 + "» ارجاع شد."

    fitted = sms_fit(text, max_parts=2, keep=[CODE])

    assert sms_parts(fitted) == 2
    assert sms_length(fitted) <= 134
    assert fitted.endswith("…")
    head = fitted[: -len("…")]
    assert text.startswith(head)
    assert text[len(head)] == " "
    assert CODE in fitted


def test_sms_fit_appends_a_kept_string_that_would_fall_in_the_cut():
    text = "شهروند گرامی، " + "متن طولانی " * 20 + f"کد رهگیری: {CODE} پیگیری: {URL}"

    fitted = sms_fit(text, max_parts=2, keep=[CODE, URL])

    assert fitted.endswith(f"… {CODE} {URL}")
    assert sms_parts(fitted) == 2
    assert text.startswith(fitted.split("…")[0])


def test_sms_fit_shortens_ascii_with_three_dots_and_stays_gsm7():
    text = "Your request was registered. " * 10 + "Code 123456789"

    fitted = sms_fit(text, max_parts=1, keep=["123456789"])

    assert fitted.endswith("... 123456789")
    assert sms_is_gsm7(fitted) is True
    assert sms_parts(fitted) == 1


def test_sms_fit_cuts_a_text_without_spaces_mid_word():
    fitted = sms_fit("ب" * 200, max_parts=1)

    assert fitted == "ب" * 69 + "…"


def test_sms_fit_refuses_zero_parts():
    with pytest.raises(ValueError):
        sms_fit("x", max_parts=0)


def _tehran(hour: int, minute: int = 0, day: int = 10) -> dt.datetime:
    return dt.datetime(2025, 6, day, hour, minute, tzinfo=TEHRAN)


@pytest.mark.parametrize(
    ("at", "end"),
    [
        (_tehran(23, 30), _tehran(7, day=11)),
        (_tehran(22, 0), _tehran(7, day=11)),
        (_tehran(3, 15), _tehran(7)),
        (_tehran(6, 59), _tehran(7)),
        (_tehran(7, 0), None),
        (_tehran(12, 0), None),
        (_tehran(21, 59), None),
    ],
)
def test_quiet_hours_run_from_22_to_7_tehran_time(at, end):
    assert quiet_hours_end(at.astimezone(dt.UTC), "22:00-07:00") == end


def test_quiet_hours_can_be_a_window_within_a_day_or_none():
    assert quiet_hours_end(_tehran(13, 30), "13:00-14:00") == _tehran(14)
    assert quiet_hours_end(_tehran(14, 0), "13:00-14:00") is None
    assert quiet_hours_end(_tehran(23, 0), "") is None
