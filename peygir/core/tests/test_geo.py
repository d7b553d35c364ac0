from __future__ import annotations

import h3
import pytest
from shapely.geometry import Point, Polygon, box

from peygir.core.geo import PolygonIndex, geometry_from_geojson, h3_cell, valid_lat_lon

AZADI_TOWER = (35.6997, 51.3380)


def test_h3_cell_is_a_resolution_9_cell_holding_the_point():
    cell = h3_cell(*AZADI_TOWER)

    assert h3.is_valid_cell(cell)
    assert h3.get_resolution(cell) == 9
    assert h3.latlng_to_cell(*AZADI_TOWER, 9) == cell


def test_h3_cell_honours_the_resolution_and_nests_in_its_parent():
    fine = h3_cell(*AZADI_TOWER, resolution=10)
    coarse = h3_cell(*AZADI_TOWER, resolution=7)

    assert h3.get_resolution(fine) == 10
    assert h3.cell_to_parent(fine, 7) == coarse


def test_h3_cell_is_the_same_for_nearby_points_and_differs_across_the_city():
    lat, lon = AZADI_TOWER

    assert h3_cell(lat + 0.00001, lon + 0.00001) == h3_cell(lat, lon)
    assert h3_cell(35.8045, 51.4335) != h3_cell(lat, lon)


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [(35.7, 51.4, True), (90.0, 180.0, True), (90.1, 0.0, False), (0.0, -180.5, False)],
)
def test_valid_lat_lon(lat, lon, expected):
    assert valid_lat_lon(lat, lon) is expected


def test_polygon_index_finds_the_polygon_holding_a_point():
    index = PolygonIndex([("west", box(0, 0, 1, 1)), ("east", box(1, 0, 2, 1))])

    assert len(index) == 2
    assert index.lookup(lat=0.5, lon=0.5) == "west"
    assert index.lookup(lat=0.5, lon=1.5) == "east"
    assert index.lookup(lat=5.0, lon=5.0) is None


def test_polygon_index_prefers_the_smallest_of_overlapping_polygons():
    index = PolygonIndex(
        [("district", box(0, 0, 10, 10)), ("area", box(2, 2, 4, 4)), ("block", box(3, 3, 3.5, 3.5))]
    )

    assert index.lookup(lat=3.2, lon=3.2) == "block"
    assert index.lookup(lat=2.5, lon=2.5) == "area"
    assert index.lookup(lat=8.0, lon=8.0) == "district"


def test_polygon_index_takes_lat_then_lon():
    index = PolygonIndex([("tall", box(0, 0, 1, 10))])  # lon 0..1, lat 0..10

    assert index.lookup(lat=5.0, lon=0.5) == "tall"
    assert index.lookup(lat=0.5, lon=5.0) is None


def test_polygon_index_skips_missing_and_empty_geometries_and_may_be_empty():
    index = PolygonIndex([("none", None), ("empty", Polygon()), ("real", Point(0, 0).buffer(1))])  # type: ignore[list-item]

    assert len(index) == 1
    assert index.lookup(lat=0.0, lon=0.0) == "real"
    assert PolygonIndex([]).lookup(lat=0.0, lon=0.0) is None


def test_geometry_from_geojson_reads_a_feature_a_geometry_and_a_string():
    geometry = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}

    assert geometry_from_geojson(geometry).area == 0.5
    assert geometry_from_geojson({"type": "Feature", "properties": {}, "geometry": geometry}).area == 0.5
    assert geometry_from_geojson('{"type": "Point", "coordinates": [51.4, 35.7]}') == Point(51.4, 35.7)
