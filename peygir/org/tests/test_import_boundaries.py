from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from peygir.org.demo import TEHRAN_DISTRICTS
from peygir.org.models import Unit
from peygir.org.selectors import unit_for_point

GEOJSON = Path("geo") / "tehran_22_districts.geojson"

# Landmarks, each checked against the real polygons to lie clearly inside its district.
LANDMARKS = [
    ("Tajrish square", 35.8045, 51.4335, 1),
    ("Milad tower", 35.7448, 51.3753, 2),
    ("Vanak square", 35.7575, 51.4100, 3),
    ("Azadi tower", 35.6997, 51.3380, 9),
    ("Grand Bazaar", 35.6747, 51.4214, 12),
    ("Shahr-e Rey", 35.5950, 51.4350, 20),
    ("Chitgar lake", 35.7380, 51.2080, 22),
]


def _import(*args: str) -> str:
    out = StringIO()
    call_command("import_boundaries", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def real_districts(shared_data, org_tree) -> Path:
    path = shared_data / GEOJSON
    output = _import(str(path), "--kind", "district", "--number-field", "district", "--name-field", "name_fa")
    assert "22 updated, 0 created, 0 unmatched" in output
    return path


@pytest.mark.django_db
@pytest.mark.parametrize("fact", TEHRAN_DISTRICTS, ids=lambda fact: f"district-{fact.number}")
def test_every_inside_point_resolves_to_its_district_on_the_real_boundaries(real_districts, fact):
    lat, lon = fact.inside

    district = unit_for_point(lat=lat, lon=lon)

    assert district is not None
    assert district.number == fact.number


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "lat", "lon", "number"), LANDMARKS, ids=[row[0] for row in LANDMARKS])
def test_landmarks_resolve_to_their_district_on_the_real_boundaries(real_districts, name, lat, lon, number):
    district = unit_for_point(lat=lat, lon=lon)

    assert district is not None
    assert district.code == f"district-{number}"


@pytest.mark.django_db
def test_import_records_the_source_and_prints_a_bilingual_summary(shared_data, org_tree):
    output = _import(
        str(shared_data / GEOJSON), "--number-field", "district", "--source", "OpenStreetMap (ODbL), toosmap"
    )

    assert output.splitlines()[0] == "مرز 22 واحد به‌روز شد، 0 واحد ساخته شد، 0 عارضه بی‌تطبیق ماند."
    district = Unit.objects.get(code="district-5")
    assert district.boundary_source == "OpenStreetMap (ODbL), toosmap"
    assert district.boundary is not None
    assert district.boundary["type"] == "Polygon"


@pytest.mark.django_db
def test_import_matches_by_persian_name(shared_data, org_tree):
    output = _import(
        str(shared_data / GEOJSON), "--number-field", "district", "--name-field", "name_fa", "--match", "name"
    )

    assert "22 updated, 0 created, 0 unmatched" in output
    assert Unit.objects.get(code="district-14").boundary_source == "tehran_22_districts.geojson"


def _write(tmp_path: Path, data: object, name: str = "units.geojson") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def _feature(number: int | None, name: str = "", offset: float = 0.0) -> dict:
    x, y = 10.0 + offset, 10.0
    ring = [[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]
    return {
        "type": "Feature",
        "properties": {"no": number, "title": name},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


@pytest.mark.django_db
def test_import_creates_missing_units_under_the_center_when_asked(tmp_path, center):
    path = _write(tmp_path, {"type": "FeatureCollection", "features": [_feature(5, "اداره کل نمونه")]})

    output = _import(
        path, "--kind", "department", "--number-field", "no", "--name-field", "title", "--create"
    )

    created = Unit.objects.get(code="department-5")
    assert "0 updated, 1 created, 0 unmatched" in output
    assert (created.parent, created.name, created.number) == (center, "اداره کل نمونه", 5)
    assert unit_for_point(lat=10.05, lon=10.05, kind=Unit.Kind.DEPARTMENT) == created


@pytest.mark.django_db
def test_import_lists_what_did_not_match(tmp_path, org_tree):
    features = [_feature(6), _feature(77, offset=1.0)]
    path = _write(tmp_path, {"type": "FeatureCollection", "features": features})

    output = _import(path, "--number-field", "no")

    assert "1 updated, 0 created, 1 unmatched" in output
    assert "unmatched: 77" in output
    assert Unit.objects.get(code="district-6").boundary_source == "units.geojson"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (None, ["--number-field", "no"], "file not found"),
        ("{not json", ["--number-field", "no"], "not a readable GeoJSON file"),
        ({"type": "Polygon", "coordinates": []}, ["--number-field", "no"], "FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, ["--number-field", "no"], "FeatureCollection"),
        (
            {"type": "FeatureCollection", "features": [_feature(6)]},
            ["--number-field", "district"],
            "«district»",
        ),
        ({"type": "FeatureCollection", "features": [_feature(6)]}, ["--match", "name"], "فیلد نام"),
        ({"type": "FeatureCollection", "features": [_feature(6)]}, [], "--number-field"),
        ({"type": "FeatureCollection", "features": [_feature(60)]}, ["--number-field", "no"], "تطبیق نیافت"),
        (
            {"type": "FeatureCollection", "features": [_feature(2)]},
            ["--kind", "area", "--number-field", "no"],
            "یکتا",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    _feature(7),
                    {
                        "type": "Feature",
                        "properties": {"no": 6},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]],
                        },
                    },
                ],
            },
            ["--number-field", "no"],
            "عارضه 6: مرز نامعتبر است",
        ),
    ],
    ids=[
        "missing-file",
        "bad-json",
        "not-a-collection",
        "empty-collection",
        "unknown-field",
        "name-match-without-name-field",
        "number-match-without-number-field",
        "no-match",
        "ambiguous-area-numbers",
        "invalid-polygon",
    ],
)
def test_import_rejects_bad_input_and_changes_nothing(tmp_path, org_tree, content, args, message):
    path = str(tmp_path / "absent.geojson") if content is None else _write(tmp_path, content)
    before = {unit.code: unit.boundary for unit in Unit.objects.filter(code__in=["district-6", "district-7"])}

    with pytest.raises(CommandError) as error:
        _import(path, *args)

    assert message in str(error.value)
    after = {unit.code: unit.boundary for unit in Unit.objects.filter(code__in=["district-6", "district-7"])}
    assert after == before
