"""Reads about the organization that carry rules: which unit holds a point, who reaches which units."""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_delete, post_save

from peygir.core.geo import TEHRAN_EXTENT, PolygonIndex, geometry_from_geojson, valid_lat_lon
from peygir.org.models import Membership, Unit

# --- Point in polygon --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _CachedIndex:
    version: tuple[int, int | None, datetime | None]
    index: PolygonIndex
    units: dict[int, Unit]


_index_cache: dict[str, _CachedIndex] = {}
_index_lock = threading.Lock()


def _bounded_units(kind: str) -> QuerySet[Unit]:
    return Unit.objects.filter(kind=kind, is_active=True, boundary__isnull=False)


def _index_versions(kinds: tuple[str, ...]) -> dict[str, tuple[int, int | None, datetime | None]]:
    """(count, max id, last change) of each kind's bounded units: one aggregate query for all kinds."""
    versions: dict[str, tuple[int, int | None, datetime | None]] = dict.fromkeys(kinds, (0, None, None))
    rows = (
        Unit.objects.filter(kind__in=kinds, is_active=True, boundary__isnull=False)
        .values("kind")
        .annotate(count=Count("id"), max_id=Max("id"), changed=Max("updated_at"))
        .order_by()
    )
    for row in rows:
        versions[row["kind"]] = (row["count"], row["max_id"], row["changed"])
    return versions


def _unit_index(kind: str, version: tuple[int, int | None, datetime | None] | None = None) -> _CachedIndex:
    """The process's PolygonIndex of ``kind``'s boundaries, rebuilt when the database says they changed.

    One cheap aggregate per call is the version check (or none when the caller passes ``version``,
    read by _index_versions), so every process (web workers, task workers) sees a boundary change on
    its next lookup without any signal between them.
    """
    if version is None:
        version = _index_versions((kind,))[kind]
    cached = _index_cache.get(kind)
    if cached is not None and cached.version == version:
        return cached
    with _index_lock:
        units = {unit.pk: unit for unit in _bounded_units(kind)}
        index = PolygonIndex(
            (pk, geometry_from_geojson(unit.boundary)) for pk, unit in units.items() if unit.boundary
        )
        for unit in units.values():
            # The index holds the geometry; the cached instances need not carry the GeoJSON too.
            unit.boundary = None
        cached = _CachedIndex(version=version, index=index, units=units)
        _index_cache[kind] = cached
    return cached


def _lookup(cached: _CachedIndex, lat: float, lon: float) -> Unit | None:
    key = cached.index.lookup(lat, lon)
    if key is None:
        return None
    return copy.copy(cached.units[int(key)])  # type: ignore[call-overload]


def in_city_extent(lat: float, lon: float) -> bool:
    """True for a point inside Tehran's municipal extent (with a margin)."""
    min_lon, min_lat, max_lon, max_lat = TEHRAN_EXTENT
    return valid_lat_lon(lat, lon) and min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


def unit_for_point(*, lat: float, lon: float, kind: str = Unit.Kind.DISTRICT) -> Unit | None:
    """The active unit of ``kind`` whose boundary holds the point (the smallest where they overlap).

    Returns None outside every boundary. One database query (the index version check); the returned
    unit is a copy without its ``boundary`` loaded, so callers may keep or change it freely.
    """
    if not valid_lat_lon(lat, lon):
        return None
    return _lookup(_unit_index(kind), lat, lon)


def area_for_point(*, lat: float, lon: float) -> Unit | None:
    """The area (ناحیه) whose boundary holds the point, or None."""
    return unit_for_point(lat=lat, lon=lon, kind=Unit.Kind.AREA)


# Outside a transaction, district_and_area_for_point re-reads the boundaries' version at most this
# often (a save or delete of a unit in this process makes it re-read at once): registration then
# costs no query here. Inside a transaction it reads the version on every call.
POINT_VERSION_SECONDS = 2.0
_point_versions: tuple[float, int, dict[str, Any]] | None = None
_point_generation = 0


def _district_and_area_versions() -> dict[str, tuple[int, int | None, datetime | None]]:
    global _point_versions
    kinds = (Unit.Kind.DISTRICT, Unit.Kind.AREA)
    if connection.in_atomic_block:
        return _index_versions(kinds)
    now = time.monotonic()
    memo = _point_versions
    if memo is not None and memo[1] == _point_generation and now - memo[0] < POINT_VERSION_SECONDS:
        return memo[2]
    generation = _point_generation
    versions = _index_versions(kinds)
    _point_versions = (now, generation, versions)
    return versions


def _forget_point_versions(**kwargs: Any) -> None:
    global _point_generation
    _point_generation += 1


def _unit_changed(**kwargs: Any) -> None:
    _forget_point_versions()
    transaction.on_commit(_forget_point_versions)


post_save.connect(_unit_changed, sender=Unit, dispatch_uid="org-point-versions-save")
post_delete.connect(_unit_changed, sender=Unit, dispatch_uid="org-point-versions-delete")


def district_and_area_for_point(*, lat: float, lon: float) -> tuple[Unit | None, Unit | None]:
    """(unit_for_point of the district, area_for_point) in one call.

    Inside a transaction: one database query for both (the version check). Outside one: the
    version is re-read at most every POINT_VERSION_SECONDS, so a boundary change made by another
    process is seen within that time; most calls make no query.
    """
    if not valid_lat_lon(lat, lon):
        return None, None
    versions = _district_and_area_versions()
    district = _lookup(_unit_index(Unit.Kind.DISTRICT, versions[Unit.Kind.DISTRICT]), lat, lon)
    area = _lookup(_unit_index(Unit.Kind.AREA, versions[Unit.Kind.AREA]), lat, lon)
    return district, area


# --- The tree ----------------------------------------------------------------------------------------


def center_unit() -> Unit:
    """The 137 center, root of the tree. Raises Unit.DoesNotExist before the organization is seeded."""
    return Unit.objects.get(kind=Unit.Kind.CENTER)


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    """The unit and every unit under it, in tree order."""
    return Unit.objects.filter(path__startswith=unit.path)


def unit_ancestors(unit: Unit) -> QuerySet[Unit]:
    """The unit and every unit above it, root first."""
    return Unit.objects.filter(pk__in=unit.ancestor_ids).order_by("path")


def _role_list(roles: Iterable[str] | str | None) -> list[str] | None:
    if roles is None:
        return None
    return [roles] if isinstance(roles, str) else list(roles)


def _active_memberships(user: Any, roles: Iterable[str] | str | None) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(user=user, is_active=True, unit__is_active=True)
    role_list = _role_list(roles)
    if role_list is not None:
        memberships = memberships.filter(role__in=role_list)
    return memberships


def units_for_user(user: Any, *, roles: Iterable[str] | str | None = None) -> QuerySet[Unit]:
    """Every unit in the subtree of any of the user's active memberships (with one of ``roles``).

    A lazy queryset (one SQL query with a correlated EXISTS) so it composes: ``unit__in=...``. An
    anonymous or inactive user reaches nothing.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    reaching = _active_memberships(user, roles).filter(
        unit__path=Substr(OuterRef("path"), 1, Length("unit__path")),
    )
    return Unit.objects.filter(Exists(reaching))


def user_has_role(user: Any, unit: Unit, roles: Iterable[str] | str) -> bool:
    """True when the user has one of ``roles`` on the unit or on one of its ancestors."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return _active_memberships(user, roles).filter(unit_id__in=unit.ancestor_ids).exists()


def unit_managers(unit: Unit) -> QuerySet[Any]:
    """Active managers of the unit, or of its nearest ancestor that has any (escalation goes there)."""
    User = get_user_model()
    ancestor_ids = unit.ancestor_ids
    managed = set(
        Membership.objects.filter(
            unit_id__in=ancestor_ids, role=Membership.Role.MANAGER, is_active=True, user__is_active=True
        ).values_list("unit_id", flat=True)
    )
    nearest = next((pk for pk in reversed(ancestor_ids) if pk in managed), None)
    if nearest is None:
        return User.objects.none()
    return User.objects.filter(
        is_active=True,
        memberships__unit_id=nearest,
        memberships__role=Membership.Role.MANAGER,
        memberships__is_active=True,
    ).distinct()
