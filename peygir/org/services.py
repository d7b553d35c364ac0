"""Writes to the organization: units (with their materialised path and boundary) and memberships."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from peygir.core.errors import ValidationError
from peygir.core.text import normalize_text, to_latin_digits, to_persian_digits
from peygir.org.models import Membership, Unit

PATH_SEGMENT_WIDTH = 6
_POLYGON_TYPES = {"Polygon", "MultiPolygon"}


def _path_segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}d}/"


def boundary_validate(geojson: dict[str, Any] | str) -> dict[str, Any]:
    """Check a GeoJSON boundary and return its geometry object (a Feature is unwrapped).

    Raises ValidationError (Persian) unless it is a non-empty, valid Polygon or MultiPolygon in
    WGS84 longitude/latitude.
    """
    data: Any = geojson
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise ValidationError(_("مرز باید GeoJSON معتبر باشد.")) from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if not isinstance(data, dict) or data.get("type") not in _POLYGON_TYPES:
        raise ValidationError(_("مرز باید یک چندضلعی GeoJSON (Polygon یا MultiPolygon) باشد."))
    try:
        geometry = shape(data)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValidationError(_("مختصات مرز خوانا نیست.")) from exc
    if geometry.is_empty:
        raise ValidationError(_("مرز خالی است."))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(_("مختصات مرز باید طول و عرض جغرافیایی (WGS84) باشد."))
    if not geometry.is_valid:
        raise ValidationError(
            _("مرز نامعتبر است: %(reason)s") % {"reason": explain_validity(geometry)}, code="invalid_boundary"
        )
    result: dict[str, Any] = json.loads(json.dumps(mapping(geometry)))
    return result


@transaction.atomic
def unit_create(
    *,
    kind: str,
    name: str,
    code: str,
    parent: Unit | None = None,
    number: int | None = None,
    name_en: str = "",
    boundary: dict[str, Any] | str | None = None,
    boundary_source: str = "",
) -> Unit:
    """Create a unit under ``parent`` (None: a root) and give it its materialised path.

    Raises ValidationError for a bad boundary, a taken code, or a second 137 center.
    """
    if Unit.objects.filter(code=code).exists():
        raise ValidationError(_("واحدی با این کد وجود دارد."), code="duplicate_code")
    if kind == Unit.Kind.CENTER and Unit.objects.filter(kind=Unit.Kind.CENTER).exists():
        raise ValidationError(_("مرکز ۱۳۷ فقط یکی است."), code="duplicate_center")
    geometry = boundary_validate(boundary) if boundary is not None else None
    unit = Unit.objects.create(
        kind=kind,
        name=normalize_text(name),
        name_en=name_en,
        code=code,
        parent=parent,
        number=number,
        boundary=geometry,
        boundary_source=boundary_source if geometry is not None else "",
    )
    unit.path = (parent.path if parent is not None else "") + _path_segment(unit.pk)
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, parent: Unit | None) -> Unit:
    """Put ``unit`` (and its whole subtree) under ``parent``, rewriting the subtree's paths.

    Raises ValidationError when ``parent`` is the unit itself or one of its descendants.
    """
    if parent is not None and parent.path.startswith(unit.path):
        raise ValidationError(_("واحد را نمی‌توان زیرمجموعه خودش کرد."), code="cycle")
    old_prefix = unit.path
    new_prefix = (parent.path if parent is not None else "") + _path_segment(unit.pk)
    subtree = list(Unit.objects.select_for_update().filter(path__startswith=old_prefix))
    for member in subtree:
        member.path = new_prefix + member.path[len(old_prefix) :]
        if member.pk == unit.pk:
            member.parent = parent
    Unit.objects.bulk_update(subtree, ["path", "parent"])
    unit.refresh_from_db()
    return unit


def unit_set_boundary(*, unit: Unit, geojson: dict[str, Any] | str, source: str) -> Unit:
    """Replace the unit's boundary (validated GeoJSON) and record where it came from.

    Raises ValidationError for anything but a valid Polygon or MultiPolygon. Bumps ``updated_at``,
    which makes every process rebuild its point-in-polygon index on its next lookup.
    """
    unit.boundary = boundary_validate(geojson)
    unit.boundary_source = source
    unit.save(update_fields=["boundary", "boundary_source", "updated_at"])
    return unit


def membership_grant(*, user: Any, unit: Unit, role: str) -> Membership:
    """Give ``user`` the ``role`` in ``unit`` (reaching its subtree); re-activates a revoked one.

    Raises ValidationError for an unknown role.
    """
    if role not in Membership.Role.values:
        raise ValidationError(_("نقش ناشناخته است."), code="unknown_role")
    membership, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    return membership


def membership_revoke(*, membership: Membership) -> Membership:
    """Deactivate a membership (the row stays as history)."""
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
    return membership


# --- Boundary import ---------------------------------------------------------------------------------


class MatchBy:
    NUMBER = "number"
    NAME = "name"


@dataclass
class BoundaryImportResult:
    """What an import did: which units got a boundary, which were created, what did not match."""

    updated: list[Unit] = field(default_factory=list)
    created: list[Unit] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def _name_tokens(value: str) -> list[str]:
    return to_latin_digits(normalize_text(value)).split()


def _feature_number(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(to_latin_digits(str(value)).strip())
    except ValueError:
        return None


def _match_by_name(units: list[Unit], feature_name: str) -> Unit | None:
    """An exact normalised match, else the one unit whose name starts the feature's name word for word
    ("منطقه ۶" matches "منطقه ۶ شهر تهران", never "منطقه ۶۰")."""
    tokens = _name_tokens(feature_name)
    exact = [unit for unit in units if _name_tokens(unit.name) == tokens]
    if len(exact) == 1:
        return exact[0]
    prefixed = [
        unit
        for unit in units
        if (t := _name_tokens(unit.name)) and tokens[: len(t)] == t and len(t) < len(tokens)
    ]
    return prefixed[0] if len(prefixed) == 1 else None


@transaction.atomic
def unit_import_boundaries(
    *,
    collection: dict[str, Any],
    kind: str,
    number_field: str,
    name_field: str = "",
    match: str = MatchBy.NUMBER,
    create: bool = False,
    source: str,
) -> BoundaryImportResult:
    """Load each feature's polygon onto the unit of ``kind`` it matches (by number or by name).

    With ``create``, an unmatched feature becomes a new unit under the 137 center (code
    ``<kind>-<number>``). All or nothing: raises ValidationError (Persian) for a collection that is not
    a FeatureCollection, an unknown kind or match mode, a field no feature has, an invalid polygon, or
    when no feature matches anything.
    """
    if kind not in Unit.Kind.values:
        raise ValidationError(_("نوع واحد ناشناخته است: %(kind)s") % {"kind": kind}, code="unknown_kind")
    if match not in (MatchBy.NUMBER, MatchBy.NAME):
        raise ValidationError(_("روش تطبیق باید number یا name باشد."), code="unknown_match")
    if match == MatchBy.NAME and not name_field:
        raise ValidationError(_("برای تطبیق با نام، فیلد نام را مشخص کنید."), code="missing_name_field")
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" or not features:
        raise ValidationError(_("فایل باید یک FeatureCollection از GeoJSON با دست‌کم یک عارضه باشد."))
    properties = [feature.get("properties") or {} for feature in features]
    for wanted in filter(None, [number_field, name_field]):
        if not any(wanted in props for props in properties):
            available = sorted({key for props in properties for key in props})
            raise ValidationError(
                _("فیلد «%(field)s» در عارضه‌ها نیست؛ فیلدهای موجود: %(available)s")
                % {"field": wanted, "available": ", ".join(available)},
                code="unknown_field",
            )

    units = list(Unit.objects.filter(kind=kind))
    by_number = {unit.number: unit for unit in units if unit.number is not None}
    if match == MatchBy.NUMBER and len(by_number) < sum(unit.number is not None for unit in units):
        # Areas are numbered within their district: "area 2" names several units.
        raise ValidationError(
            _("شماره واحدهای «%(kind)s» یکتا نیست؛ با نام تطبیق دهید.") % {"kind": kind},
            code="ambiguous_number",
        )
    result = BoundaryImportResult()
    center = Unit.objects.filter(kind=Unit.Kind.CENTER).first()
    for index, (feature, props) in enumerate(zip(features, properties, strict=True), start=1):
        number = _feature_number(props.get(number_field)) if number_field else None
        feature_name = str(props.get(name_field) or "") if name_field else ""
        label = feature_name or (str(number) if number is not None else f"#{index}")
        if match == MatchBy.NUMBER:
            unit = by_number.get(number) if number is not None else None
        else:
            unit = _match_by_name(units, feature_name) if feature_name else None
        try:
            geometry = boundary_validate(feature.get("geometry"))
        except ValidationError as exc:
            raise ValidationError(
                _("عارضه %(label)s: %(error)s") % {"label": label, "error": exc.detail},
                code="invalid_boundary",
            ) from exc
        if unit is None and create and number is not None:
            kind_label = Unit.Kind(kind).label
            unit = unit_create(
                kind=kind,
                name=feature_name or f"{kind_label} {to_persian_digits(number)}",
                code=f"{kind}-{number}",
                parent=center,
                number=number,
            )
            result.created.append(unit)
        if unit is None:
            result.unmatched.append(label)
            continue
        unit_set_boundary(unit=unit, geojson=geometry, source=source)
        if unit not in result.created:
            result.updated.append(unit)
    if not result.updated and not result.created:
        raise ValidationError(
            _("هیچ عارضه‌ای با واحدی از نوع «%(kind)s» تطبیق نیافت.") % {"kind": kind}, code="no_match"
        )
    return result
