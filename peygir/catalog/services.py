"""Catalog operations: checking the answers to a service's Open311 attributes and rendering response
templates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from peygir.core.errors import ValidationError
from peygir.core.text import normalize_text, to_latin_digits, to_persian_digits

from .models import ResponseTemplate, Service, ServiceAttribute

STRING_MAX_LENGTH = 300
TEXT_MAX_LENGTH = 4000

# The only variables a response template may use; anything else is left visible in the text.
TEMPLATE_VARIABLES = frozenset({"tracking_code", "category", "unit", "date", "citizen_name"})
# Only a bare identifier in braces is a variable: no attribute access ("{case.citizen}"), no indexing,
# no format spec ("{date:%Y}"), so a template can never reach into the objects behind the context.
_TEMPLATE_VARIABLE_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Arabic decimal and thousands separators, as Persian keyboards type them.
_NUMBER_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": "", ",": "", "\u060c": "", " ": "", "_": ""})
_NUMBER_RE = re.compile(r"^[+-]?\d+(\.\d+)?$")
_LIST_TYPES = {ServiceAttribute.Datatype.SINGLEVALUELIST, ServiceAttribute.Datatype.MULTIVALUELIST}


class _Invalid(Exception):
    """One attribute's value is wrong; the message is already in Persian."""


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _clean_text(value: Any, *, max_length: int) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _Invalid(_("باید متن باشد."))
    text = normalize_text(str(value))
    if len(text) > max_length:
        raise _Invalid(_("حداکثر %(max)s نویسه مجاز است.") % {"max": to_persian_digits(max_length)})
    return text


def _clean_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise _Invalid(_("باید عدد باشد."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        text = repr(value)
    elif isinstance(value, Decimal | str):
        text = to_latin_digits(str(value)).strip().translate(_NUMBER_SEPARATORS)
    else:
        raise _Invalid(_("باید عدد باشد."))
    if not _NUMBER_RE.match(text):
        raise _Invalid(_("باید عدد باشد."))
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise _Invalid(_("باید عدد باشد.")) from exc
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_datetime(value: Any) -> str:
    if isinstance(value, dt.datetime):
        moment: dt.datetime | None = value
    elif isinstance(value, str):
        text = to_latin_digits(value).strip()
        try:
            moment = parse_datetime(text)
            if moment is None:
                day = parse_date(text)
                moment = dt.datetime.combine(day, dt.time()) if day else None
        except ValueError:
            moment = None
    else:
        moment = None
    if moment is None:
        raise _Invalid(_("باید تاریخ و زمان به قالب ISO 8601 باشد، مانند 2026-03-21T10:30:00+03:30."))
    if timezone.is_naive(moment):
        # A time without an offset is what a person in Tehran read on their clock.
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment.astimezone(dt.UTC).isoformat()


def _clean_choice(value: Any, keys: list[str]) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Invalid(_("گزینه نامعتبر است."))
    key = to_latin_digits(str(value)).strip()
    if key not in keys:
        raise _Invalid(_("«%(value)s» از گزینه‌های مجاز نیست.") % {"value": value})
    return key


def _clean_value(attribute: ServiceAttribute, value: Any) -> Any:
    datatype = attribute.datatype
    keys = [str(item.get("key")) for item in attribute.values or [] if isinstance(item, dict)]
    if datatype == ServiceAttribute.Datatype.STRING:
        return _clean_text(value, max_length=STRING_MAX_LENGTH)
    if datatype == ServiceAttribute.Datatype.TEXT:
        return _clean_text(value, max_length=TEXT_MAX_LENGTH)
    if datatype == ServiceAttribute.Datatype.NUMBER:
        return _clean_number(value)
    if datatype == ServiceAttribute.Datatype.DATETIME:
        return _clean_datetime(value)
    if datatype == ServiceAttribute.Datatype.SINGLEVALUELIST:
        return _clean_choice(value, keys)
    if datatype == ServiceAttribute.Datatype.MULTIVALUELIST:
        items = value if isinstance(value, list | tuple) else [value]
        chosen: list[str] = []
        for item in items:
            key = _clean_choice(item, keys)
            if key not in chosen:
                chosen.append(key)
        return chosen
    raise _Invalid(_("نوع داده «%(datatype)s» پشتیبانی نمی‌شود.") % {"datatype": datatype})


def service_attributes_validate(*, service: Service, values: Mapping[str, Any]) -> dict[str, Any]:
    """Check a citizen's answers to ``service``'s attributes and return them cleaned, JSON-ready.

    Strings are normalised, numbers parsed (Persian and Arabic digits and separators accepted) to int or
    float, datetimes parsed from ISO 8601 (a time without offset is Tehran time) and returned as UTC ISO
    strings, list answers checked against the attribute's keys (a multivaluelist returns a list of keys).
    Empty optional answers are dropped. Attributes with ``variable=False`` are information only and take
    no answer.

    Raises ValidationError whose detail lists every problem in Persian and whose ``extra["errors"]``
    maps each attribute code to its message. Sets off nothing.
    """
    attributes = {attribute.code: attribute for attribute in service.attributes.all() if attribute.variable}
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}

    for code in values:
        if code not in attributes:
            errors[str(code)] = _("ویژگی «%(code)s» برای این خدمت تعریف نشده است.") % {"code": code}

    for code, attribute in sorted(attributes.items(), key=lambda item: (item[1].order, item[0])):
        value = values.get(code)
        if _is_empty(value):
            if attribute.required:
                errors[code] = _("پاسخ به «%(question)s» الزامی است.") % {"question": attribute.description}
            continue
        try:
            cleaned[code] = _clean_value(attribute, value)
        except _Invalid as problem:
            errors[code] = f"«{attribute.description}»: {problem}"

    if errors:
        raise ValidationError("\n".join(errors.values()), code="invalid_attributes", extra={"errors": errors})
    return cleaned


def service_attribute_values_problems(*, datatype: str, values: Any) -> list[str]:
    """What is wrong (in Persian) with an attribute definition's ``values`` for its datatype.

    List datatypes need a non-empty list of ``{"key", "name"}`` with distinct keys; other datatypes
    take no values. Returns an empty list when the definition is sound. Used by the admin form.
    """
    if datatype not in _LIST_TYPES:
        return [_("فقط ویژگی‌های چندگزینه‌ای گزینه دارند.")] if values else []
    if not isinstance(values, list) or not values:
        return [_('برای این نوع داده، فهرستی از گزینه‌ها به شکل {"key": …, "name": …} لازم است.')]
    problems: list[str] = []
    keys: list[str] = []
    for item in values:
        if not isinstance(item, dict) or not str(item.get("key") or "").strip() or not item.get("name"):
            problems.append(_("هر گزینه باید key و name داشته باشد."))
            continue
        keys.append(str(item["key"]))
    if len(keys) != len(set(keys)):
        problems.append(_("کلید گزینه‌ها نباید تکراری باشد."))
    return problems


def template_variables_unknown(body: str) -> list[str]:
    """The ``{names}`` in a template body that are not among TEMPLATE_VARIABLES, in order of appearance."""
    unknown: list[str] = []
    for name in _TEMPLATE_VARIABLE_RE.findall(body or ""):
        if name not in TEMPLATE_VARIABLES and name not in unknown:
            unknown.append(name)
    return unknown


def response_template_render(*, template: ResponseTemplate | str, context: Mapping[str, Any]) -> str:
    """The template's text with ``{tracking_code}``, ``{category}``, ``{unit}``, ``{date}`` and
    ``{citizen_name}`` replaced by ``str()`` of the context's values.

    Substitution is a single pass over bare ``{identifier}`` names: values are never re-scanned, there is
    no attribute access, indexing or format spec, and a variable that is unknown or missing from the
    context is left visible as written so the officer sees it before sending. Formatting values (Persian
    digits, Jalali dates) is the caller's job. Raises nothing; sets off nothing.
    """
    body = template.body if isinstance(template, ResponseTemplate) else template

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in TEMPLATE_VARIABLES and context.get(name) is not None:
            return str(context[name])
        return match.group(0)

    return _TEMPLATE_VARIABLE_RE.sub(substitute, body)
