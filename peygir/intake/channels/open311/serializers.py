"""Writing Open311 answers: one nested Python structure, rendered as XML or as JSON.

XML is built with ElementTree (every value escaped by it), declared ``utf-8``, with the spec's element
names; JSON is the spec's mapping of the same tree: the wrapper of a list disappears and the answer
is a bare array, an absent value is ``null``, booleans and numbers keep their types.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

XML = "xml"
JSON = "json"
FORMATS = (XML, JSON)
CONTENT_TYPES = {XML: "text/xml; charset=utf-8", JSON: "application/json; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

# The element name of one item of each list, wherever the list appears.
ITEM_TAGS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "service_requests": "request",
    "service_request_updates": "request_update",
    "notes": "note",
    "media_urls": "media_url",
}
# Characters XML 1.0 cannot carry at all, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c_datetime(value: dt.datetime | None) -> str | None:
    """``2026-03-21T10:30:00+03:30``: Tehran local time, whole seconds, the offset always written."""
    if value is None:
        return None
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Document:
    """An Open311 answer: ``root`` is the XML root; ``body`` a list (of items named by ITEM_TAGS) or a
    mapping (an object such as ``service_definition`` or ``discovery``)."""

    root: str
    body: Sequence[Mapping[str, Any]] | Mapping[str, Any]
    status: int = 200


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _XML_ILLEGAL.sub("", str(value))


def _fill(element: ET.Element, tag: str, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), key, child)
    elif isinstance(value, list | tuple):
        item_tag = ITEM_TAGS.get(tag, "item")
        for item in value:
            _fill(ET.SubElement(element, item_tag), item_tag, item)
    else:
        element.text = _text(value)


def render_xml(document: Document) -> str:
    root = ET.Element(document.root)
    _fill(root, document.root, document.body)
    ET.indent(root)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def render_json(document: Document) -> str:
    return json.dumps(document.body, ensure_ascii=False, separators=(",", ":"))


def response(document: Document, fmt: str) -> HttpResponse:
    """The HTTP answer in ``fmt`` (``xml`` or ``json``) with the spec's content type."""
    content = render_json(document) if fmt == JSON else render_xml(document)
    return HttpResponse(content.encode("utf-8"), status=document.status, content_type=CONTENT_TYPES[fmt])


def errors_document(status: int, errors: Sequence[tuple[int, str]]) -> Document:
    """``<errors><error><code/><description/></error>…</errors>``; JSON codes are numbers."""
    return Document("errors", [{"code": code, "description": text} for code, text in errors], status=status)
