"""Demo organization: Tehran's 137 center, deputies, organizations, 22 districts with approximate
boundaries, about 120 areas, and the staff personas.

The district boundaries built here are APPROXIMATE (bounding-box-constrained Voronoi cells around two
published points per district); they exist so that a fresh checkout routes demo cases somewhere
sensible. Real boundaries are loaded with ``manage.py import_boundaries``. The demo password
``peygir-demo`` is for local demonstration only: never seed demo users into a real deployment.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from shapely import affinity
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, box, mapping
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from peygir.core.text import to_persian_digits
from peygir.org.models import Unit
from peygir.org.services import boundary_validate, membership_grant, unit_create, unit_move, unit_set_boundary

DEMO_PASSWORD = "peygir-demo"  # demo only; documented in the module docstring
APPROXIMATE_SOURCE = "approximate: Voronoi cells around district centroids, not official boundaries"
AREA_SOURCE = "approximate: Voronoi split of the approximate district, not official boundaries"


@dataclass(frozen=True)
class DistrictFact:
    """Published facts about one district (spec/tehran_districts.json): points as (lat, lon), bbox as
    (min_lon, min_lat, max_lon, max_lat); ``areas`` is how many areas the demo splits it into."""

    number: int
    centroid: tuple[float, float]
    inside: tuple[float, float]
    bbox: tuple[float, float, float, float]
    areas: int


_D = DistrictFact
# Copied from spec/tehran_districts.json (computed there from an OpenStreetMap boundary file).
TEHRAN_DISTRICTS: tuple[DistrictFact, ...] = (
    _D(
        1,
        centroid=(35.80269, 51.46221),
        inside=(35.80299, 51.45924),
        bbox=(51.3752, 35.7773, 51.5392, 35.8285),
        areas=6,
    ),
    _D(
        2,
        centroid=(35.75004, 51.36065),
        inside=(35.7517, 51.35911),
        bbox=(51.3318, 35.6998, 51.3931, 35.8037),
        areas=6,
    ),
    _D(
        3,
        centroid=(35.76888, 51.42593),
        inside=(35.76745, 51.42246),
        bbox=(51.3861, 35.7402, 51.4764, 35.7938),
        areas=6,
    ),
    _D(
        4,
        centroid=(35.75381, 51.52147),
        inside=(35.75746, 51.51426),
        bbox=(51.4469, 35.7235, 51.6063, 35.7905),
        areas=6,
    ),
    _D(
        5,
        centroid=(35.74781, 51.30591),
        inside=(35.75324, 51.30039),
        bbox=(51.262, 35.6967, 51.3419, 35.81),
        areas=6,
    ),
    _D(
        6,
        centroid=(35.72463, 51.40251),
        inside=(35.72617, 51.40322),
        bbox=(51.3776, 35.7007, 51.4275, 35.7522),
        areas=6,
    ),
    _D(
        7,
        centroid=(35.72214, 51.44398),
        inside=(35.72193, 51.44392),
        bbox=(51.4203, 35.7017, 51.4723, 35.7427),
        areas=5,
    ),
    _D(
        8,
        centroid=(35.72608, 51.49022),
        inside=(35.72475, 51.49849),
        bbox=(51.4589, 35.709, 51.5386, 35.7403),
        areas=5,
    ),
    _D(
        9,
        centroid=(35.68514, 51.3226),
        inside=(35.68411, 51.31909),
        bbox=(51.2787, 35.6664, 51.3565, 35.702),
        areas=6,
    ),
    _D(
        10,
        centroid=(35.68374, 51.36735),
        inside=(35.68385, 51.36717),
        bbox=(51.3522, 35.667, 51.3815, 35.7007),
        areas=4,
    ),
    _D(
        11,
        centroid=(35.68153, 51.39483),
        inside=(35.68, 51.39469),
        bbox=(51.3781, 35.6584, 51.4129, 35.7014),
        areas=4,
    ),
    _D(
        12,
        centroid=(35.68001, 51.42765),
        inside=(35.68064, 51.42789),
        bbox=(51.4049, 35.6581, 51.4481, 35.702),
        areas=5,
    ),
    _D(
        13,
        centroid=(35.70954, 51.5095),
        inside=(35.70774, 51.49047),
        bbox=(51.4474, 35.6896, 51.5989, 35.7262),
        areas=5,
    ),
    _D(
        14,
        centroid=(35.67292, 51.48431),
        inside=(35.66884, 51.48452),
        bbox=(51.4456, 35.6442, 51.5232, 35.693),
        areas=6,
    ),
    _D(
        15,
        centroid=(35.63867, 51.4723),
        inside=(35.63517, 51.47381),
        bbox=(51.431, 35.6057, 51.5122, 35.6654),
        areas=6,
    ),
    _D(
        16,
        centroid=(35.64024, 51.41274),
        inside=(35.63536, 51.41493),
        bbox=(51.3821, 35.6144, 51.4364, 35.6596),
        areas=5,
    ),
    _D(
        17,
        centroid=(35.65655, 51.36247),
        inside=(35.65364, 51.36214),
        bbox=(51.3439, 35.6367, 51.3823, 35.6708),
        areas=4,
    ),
    _D(
        18,
        centroid=(35.65624, 51.2986),
        inside=(35.65156, 51.30859),
        bbox=(51.2305, 35.6201, 51.3566, 35.6836),
        areas=6,
    ),
    _D(
        19,
        centroid=(35.62683, 51.36798),
        inside=(35.63124, 51.36982),
        bbox=(51.3248, 35.6074, 51.4047, 35.6554),
        areas=6,
    ),
    _D(
        20,
        centroid=(35.60212, 51.43816),
        inside=(35.59913, 51.43342),
        bbox=(51.4003, 35.5682, 51.4721, 35.6295),
        areas=6,
    ),
    _D(
        21,
        centroid=(35.71033, 51.21013),
        inside=(35.71127, 51.22284),
        bbox=(51.0892, 35.6766, 51.2915, 35.7456),
        areas=6,
    ),
    _D(
        22,
        centroid=(35.74327, 51.2098),
        inside=(35.74295, 51.20846),
        bbox=(51.0901, 35.7145, 51.2912, 35.7714),
        areas=6,
    ),
)

CENTER = ("center", "مرکز سامانه ۱۳۷ پلاس", "137 Plus center")
DEPUTIES: tuple[tuple[str, str, str], ...] = (
    ("deputy-urban-services", "معاونت خدمات شهری و محیط زیست", "Deputy of urban services and environment"),
    ("deputy-technical", "معاونت فنی و عمرانی", "Deputy of technical and civil works"),
    ("deputy-transport", "معاونت حمل‌ونقل و ترافیک", "Deputy of transport and traffic"),
    ("deputy-urban-planning", "معاونت شهرسازی و معماری", "Deputy of urban planning and architecture"),
    ("deputy-social", "معاونت اجتماعی و فرهنگی", "Deputy of social and cultural affairs"),
    ("deputy-finance", "معاونت مالی و اقتصاد شهری", "Deputy of finance and urban economy"),
    ("deputy-planning", "معاونت برنامه‌ریزی و توسعه شهری", "Deputy of planning and urban development"),
    ("deputy-district-affairs", "معاونت امور مناطق", "Deputy of district affairs"),
    ("deputy-human-resources", "معاونت توسعه منابع انسانی", "Deputy of human resources development"),
)
ORGANIZATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("org-waste", Unit.Kind.ORGANIZATION, "سازمان مدیریت پسماند", "Waste management organization"),
    ("org-parks", Unit.Kind.ORGANIZATION, "سازمان بوستان‌ها و فضای سبز", "Parks and green space organization"),
    (
        "org-fire",
        Unit.Kind.ORGANIZATION,
        "سازمان آتش‌نشانی و خدمات ایمنی",
        "Fire and safety services organization",
    ),
    ("company-bus", Unit.Kind.COMPANY, "شرکت واحد اتوبوسرانی", "Bus company"),
    ("company-metro", Unit.Kind.COMPANY, "شرکت بهره‌برداری متروی تهران", "Tehran metro operating company"),
    ("org-taxi", Unit.Kind.ORGANIZATION, "سازمان تاکسیرانی", "Taxi organization"),
    ("org-culture", Unit.Kind.ORGANIZATION, "سازمان فرهنگی هنری", "Culture and arts organization"),
    (
        "org-welfare",
        Unit.Kind.ORGANIZATION,
        "سازمان رفاه، خدمات و مشارکت‌های اجتماعی",
        "Social welfare, services and participation organization",
    ),
    ("org-crisis", Unit.Kind.ORGANIZATION, "سازمان مدیریت بحران", "Crisis management organization"),
)


@dataclass(frozen=True)
class Persona:
    """A demo staff member: username, display name, unit code (or none) and role."""

    username: str
    display_name: str
    unit_code: str | None
    role: str | None
    is_admin: bool = False


PERSONAS: tuple[Persona, ...] = (
    Persona("supervisor", "ناظر مرکز ۱۳۷", "center", "supervisor"),
    Persona("officer6", "کارشناس منطقه ۶", "district-6", "officer"),
    Persona("officer7", "کارشناس منطقه ۷", "district-7", "officer"),
    Persona("manager6", "مدیر منطقه ۶", "district-6", "manager"),
    Persona("agent", "کارشناس پاسخگوی ۱۳۷", "center", "agent"),
    Persona("admin", "مدیر سامانه", "center", "admin", is_admin=True),
    # Handles corruption reports: reaches no case at all.
    Persona("integrity", "رسیدگی‌کننده گزارش‌های فساد", None, None),
)

# --- Approximate geometry ----------------------------------------------------------------------------

# Distances are compared in a plane where a degree of longitude is shrunk to its length at Tehran's
# latitude (cos 35.7°), so the cells are not stretched east-west.
_LON_SCALE = 0.8124
_GRID = 1e-6


def _scaled(lat: float, lon: float) -> Point:
    return Point(lon * _LON_SCALE, lat)


def _unscale(geometry: BaseGeometry) -> BaseGeometry:
    return affinity.scale(geometry, xfact=1 / _LON_SCALE, yfact=1.0, origin=(0, 0))


def _polygonal(geometry: BaseGeometry) -> Polygon | MultiPolygon:
    """Only the polygon parts of a geometry (intersections may leave lines or points behind)."""
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    parts = [part for part in getattr(geometry, "geoms", []) if isinstance(part, Polygon | MultiPolygon)]
    merged = unary_union(parts)
    return merged if isinstance(merged, Polygon | MultiPolygon) else Polygon()


def _voronoi_owner(seeds: list[tuple[Any, Point]], region: Polygon) -> dict[Any, list[BaseGeometry]]:
    """Split ``region`` into Voronoi cells around ``seeds`` (key, point); pieces grouped by key."""
    pieces: dict[Any, list[BaseGeometry]] = {}
    keys = {key for key, _ in seeds}
    if len(keys) == 1:
        pieces[seeds[0][0]] = [region]
        return pieces
    cells = shapely.voronoi_polygons(MultiPoint([point for _, point in seeds]), extend_to=region.envelope)
    for cell in cells.geoms:
        owner = next(key for key, point in seeds if cell.intersects(point))
        piece = cell.intersection(region)
        if not piece.is_empty:
            pieces.setdefault(owner, []).append(piece)
    return pieces


def _district_geometries() -> dict[int, BaseGeometry]:
    """Each district's approximate polygon: the plane is cut along every bbox edge; inside each piece
    only the districts whose bbox covers it compete, and the nearest published point wins."""
    boxes = {
        d.number: box(d.bbox[0] * _LON_SCALE, d.bbox[1], d.bbox[2] * _LON_SCALE, d.bbox[3])
        for d in TEHRAN_DISTRICTS
    }
    seeds = {d.number: [_scaled(*d.centroid), _scaled(*d.inside)] for d in TEHRAN_DISTRICTS}
    xs = sorted({round(x, 9) for b in boxes.values() for x in (b.bounds[0], b.bounds[2])})
    ys = sorted({round(y, 9) for b in boxes.values() for y in (b.bounds[1], b.bounds[3])})
    pieces: dict[int, list[BaseGeometry]] = {}
    for x0, x1 in itertools.pairwise(xs):
        for y0, y1 in itertools.pairwise(ys):
            middle = Point((x0 + x1) / 2, (y0 + y1) / 2)
            competing = [number for number, b in boxes.items() if b.contains(middle)]
            if not competing:
                continue
            region = box(x0, y0, x1, y1)
            candidates = [(number, point) for number in competing for point in seeds[number]]
            for number, found in _voronoi_owner(candidates, region).items():
                pieces.setdefault(number, []).extend(found)
    return {
        number: shapely.set_precision(_polygonal(_unscale(unary_union(found))), _GRID)
        for number, found in pieces.items()
    }


def _area_geometries(district: BaseGeometry, fact: DistrictFact) -> list[BaseGeometry]:
    """Split a district into ``fact.areas`` parts: k-means over a regular grid of points inside it
    (seeded deterministically from the published inside point), then Voronoi cells of the means."""
    scaled = affinity.scale(district, xfact=_LON_SCALE, yfact=1.0, origin=(0, 0))
    min_x, min_y, max_x, max_y = scaled.bounds
    steps = 40
    grid_x, grid_y = np.meshgrid(
        min_x + (max_x - min_x) * (np.arange(steps) + 0.5) / steps,
        min_y + (max_y - min_y) * (np.arange(steps) + 0.5) / steps,
        indexing="ij",
    )
    inside = shapely.contains_xy(scaled, grid_x.ravel(), grid_y.ravel())
    samples = np.column_stack([grid_x.ravel()[inside], grid_y.ravel()[inside]])
    start = _scaled(*fact.inside)
    means = np.array([[start.x, start.y]])
    while len(means) < fact.areas:  # farthest-point start: spread out, no randomness
        nearest = ((samples[:, None, :] - means[None, :, :]) ** 2).sum(axis=2).min(axis=1)
        means = np.vstack([means, samples[int(nearest.argmax())]])
    for _ in range(12):
        owner = ((samples[:, None, :] - means[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
        means = np.array(
            [samples[owner == k].mean(axis=0) if (owner == k).any() else means[k] for k in range(len(means))]
        )
    cells = _voronoi_owner([(k, Point(float(x), float(y))) for k, (x, y) in enumerate(means)], scaled)
    return [
        shapely.set_precision(_polygonal(_unscale(unary_union(cells[k]))), _GRID) for k in range(len(means))
    ]


@functools.cache
def demo_boundaries() -> dict[int, tuple[dict[str, Any], list[dict[str, Any]]]]:
    """District number → (district GeoJSON geometry, its areas' GeoJSON geometries); computed once."""
    districts = _district_geometries()
    result: dict[int, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for fact in TEHRAN_DISTRICTS:
        geometry = districts[fact.number]
        areas = _area_geometries(geometry, fact)
        result[fact.number] = (
            boundary_validate(dict(mapping(geometry))),
            [boundary_validate(dict(mapping(area))) for area in areas],
        )
    return result


# --- Seeding -----------------------------------------------------------------------------------------


def _ensure_unit(
    *,
    code: str,
    kind: str,
    name: str,
    name_en: str,
    parent: Unit | None,
    number: int | None = None,
    boundary: dict[str, Any] | None = None,
    boundary_source: str = "",
) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        return unit_create(
            kind=kind,
            name=name,
            code=code,
            parent=parent,
            number=number,
            name_en=name_en,
            boundary=boundary,
            boundary_source=boundary_source,
        )
    wanted = {"kind": kind, "name": name, "name_en": name_en, "number": number, "is_active": True}
    changed = [field for field, value in wanted.items() if getattr(unit, field) != value]
    if changed:
        for field in changed:
            setattr(unit, field, wanted[field])
        unit.save(update_fields=[*changed, "updated_at"])
    if unit.parent_id != (parent.pk if parent else None):
        unit = unit_move(unit=unit, parent=parent)
    if boundary is not None and (unit.boundary != boundary or unit.boundary_source != boundary_source):
        unit = unit_set_boundary(unit=unit, geojson=boundary, source=boundary_source)
    return unit


def _district_name(number: int) -> str:
    return f"منطقه {to_persian_digits(number)}"


@transaction.atomic
def seed_org() -> None:
    """Create or update the demo organization and staff personas; safe to run again (matched by code
    and username, nothing is rewritten that has not changed)."""
    center = _ensure_unit(
        code=CENTER[0], kind=Unit.Kind.CENTER, name=CENTER[1], name_en=CENTER[2], parent=None
    )
    for code, name, name_en in DEPUTIES:
        _ensure_unit(code=code, kind=Unit.Kind.DEPUTY, name=name, name_en=name_en, parent=center)
    for code, kind, name, name_en in ORGANIZATIONS:
        _ensure_unit(code=code, kind=kind, name=name, name_en=name_en, parent=center)
    boundaries = demo_boundaries()
    for fact in TEHRAN_DISTRICTS:
        district_boundary, area_boundaries = boundaries[fact.number]
        district = _ensure_unit(
            code=f"district-{fact.number}",
            kind=Unit.Kind.DISTRICT,
            name=_district_name(fact.number),
            name_en=f"District {fact.number}",
            parent=center,
            number=fact.number,
            boundary=district_boundary,
            boundary_source=APPROXIMATE_SOURCE,
        )
        for index, area_boundary in enumerate(area_boundaries, start=1):
            _ensure_unit(
                code=f"district-{fact.number}-area-{index}",
                kind=Unit.Kind.AREA,
                name=f"{_district_name(fact.number)}، ناحیه {to_persian_digits(index)}",
                name_en=f"District {fact.number}, area {index}",
                parent=district,
                number=index,
                boundary=area_boundary,
                boundary_source=AREA_SOURCE,
            )
    seed_personas()


def seed_personas() -> None:
    """The demo staff users (password ``DEMO_PASSWORD``) and their memberships; idempotent."""
    User = get_user_model()
    password_hash: str | None = None
    for persona in PERSONAS:
        user = User.objects.filter(username=persona.username).first()
        if user is None:
            # One hash for every persona: hashing is deliberately slow and they share the password.
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=persona.username,
                display_name=persona.display_name,
                password=password_hash,
                is_staff=persona.is_admin,
                is_superuser=persona.is_admin,
            )
        if persona.unit_code and persona.role:
            membership_grant(user=user, unit=Unit.objects.get(code=persona.unit_code), role=persona.role)
