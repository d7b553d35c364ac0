"""Geography without GDAL: h3 cells for every located case, point-in-polygon through an STRtree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

import h3
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

# Tehran's municipal territory, with a margin; a point outside it is not a Tehran location.
TEHRAN_EXTENT = (51.09, 35.50, 51.65, 35.85)  # min_lon, min_lat, max_lon, max_lat


def h3_cell(lat: float, lon: float, resolution: int = 9) -> str:
    """The h3 cell id (hex string) holding the point; resolution 9 cells are about 0.1 km²."""
    return str(h3.latlng_to_cell(lat, lon, resolution))


def h3_hotspots(counts: Iterable[tuple[str, int]], resolution: int) -> dict[str, Any]:
    """(h3 cell, count) pairs summed into their parents at ``resolution``, as a GeoJSON
    FeatureCollection of cell polygons (``properties``: ``cell``, ``count``), largest count first,
    with ``max_count`` on the collection."""
    totals: Counter[str] = Counter()
    for cell, count in counts:
        parent = cell if h3.get_resolution(cell) <= resolution else h3.cell_to_parent(cell, resolution)
        totals[parent] += count
    features = []
    for cell, count in sorted(totals.items(), key=lambda item: (-item[1], item[0])):
        ring = [[lng, lat] for lat, lng in h3.cell_to_boundary(cell)]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"cell": cell, "count": count},
            }
        )
    return {"type": "FeatureCollection", "features": features, "max_count": max(totals.values(), default=0)}


def valid_lat_lon(lat: float, lon: float) -> bool:
    return -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0


def geometry_from_geojson(geojson: dict[str, Any] | str) -> BaseGeometry:
    import json

    data = json.loads(geojson) if isinstance(geojson, str) else geojson
    if data.get("type") == "Feature":
        data = data["geometry"]
    return shape(data)


@dataclass(frozen=True)
class _Entry:
    key: Hashable
    geometry: BaseGeometry
    area: float


class PolygonIndex:
    """Finds which of many polygons holds a point, in O(log n) through a shapely STRtree.

    Where polygons overlap (boundary files are rarely perfect), the smallest one wins: the more
    specific area beats the district that contains it.
    """

    def __init__(self, items: Iterable[tuple[Hashable, BaseGeometry]]):
        self._entries = [
            _Entry(key, geom, geom.area) for key, geom in items if geom is not None and not geom.is_empty
        ]
        self._tree = STRtree([entry.geometry for entry in self._entries]) if self._entries else None

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, lat: float, lon: float) -> Hashable | None:
        if self._tree is None:
            return None
        point = Point(lon, lat)
        hits = self._tree.query(point, predicate="intersects")
        if len(hits) == 0:
            return None
        best = min((self._entries[int(i)] for i in hits), key=lambda entry: entry.area)
        return best.key
