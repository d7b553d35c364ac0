"""manage.py import_boundaries FILE.geojson --kind district --number-field district [--name-field name_fa]
[--match number|name] [--create] [--source TEXT]"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peygir.core.errors import ValidationError
from peygir.org.models import Unit
from peygir.org.services import MatchBy, unit_import_boundaries


class Command(BaseCommand):
    help = "Load GeoJSON polygons onto units of one kind, matched by number or by name."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a GeoJSON FeatureCollection")
        parser.add_argument("--kind", default=Unit.Kind.DISTRICT, choices=Unit.Kind.values)
        parser.add_argument("--number-field", default="", help="feature property holding the unit number")
        parser.add_argument("--name-field", default="", help="feature property holding the unit name")
        parser.add_argument("--match", default=MatchBy.NUMBER, choices=[MatchBy.NUMBER, MatchBy.NAME])
        parser.add_argument("--create", action="store_true", help="create missing units under the 137 center")
        parser.add_argument(
            "--source", default="", help="where the boundaries come from (default: the file name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"فایل پیدا نشد / file not found: {path}") from exc
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CommandError(
                f"فایل GeoJSON خوانا نیست / not a readable GeoJSON file: {path}: {exc}"
            ) from exc
        if options["match"] == MatchBy.NUMBER and not options["number_field"]:
            raise CommandError("--number-field لازم است / --number-field is required with --match number")
        try:
            result = unit_import_boundaries(
                collection=collection,
                kind=options["kind"],
                number_field=options["number_field"],
                name_field=options["name_field"],
                match=options["match"],
                create=options["create"],
                source=options["source"] or path.name,
            )
        except ValidationError as exc:
            raise CommandError(str(exc.detail)) from exc
        self.stdout.write(
            f"مرز {len(result.updated)} واحد به‌روز شد، {len(result.created)} واحد ساخته شد، "
            f"{len(result.unmatched)} عارضه بی‌تطبیق ماند.\n"
            f"Boundaries: {len(result.updated)} updated, {len(result.created)} created, "
            f"{len(result.unmatched)} unmatched."
        )
        for label in result.unmatched:
            self.stdout.write(f"  بی‌تطبیق / unmatched: {label}")
