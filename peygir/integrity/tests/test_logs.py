"""A request's IP address appears in no log line, in no database row."""

from __future__ import annotations

import io
import logging

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client

from peygir.integrity.logfilter import IntegrityLogFilter
from peygir.integrity.middleware import in_integrity_request

from .conftest import receipt_of, submit_web, unlocked

IPV4 = "203.0.113.77"
IPV6 = "2001:db8:abcd:12::77"


def _console_handler() -> logging.Handler:
    handlers = [
        h for h in logging.getLogger().handlers if any(isinstance(f, IntegrityLogFilter) for f in h.filters)
    ]
    assert len(handlers) == 1, "settings.LOGGING attaches the integrity filter to the console handler"
    return handlers[0]


@pytest.mark.django_db
def test_no_log_line_and_no_row_holds_the_requesters_address(handler_a):
    handler = _console_handler()
    buffer = io.StringIO()
    old_stream = handler.setStream(buffer)  # type: ignore[attr-defined]
    old_level = logging.getLogger().level
    logging.getLogger().setLevel(logging.DEBUG)
    try:
        client = Client(REMOTE_ADDR=IPV4, HTTP_USER_AGENT="Mozilla/5.0 Marker-UA", HTTP_X_FORWARDED_FOR=IPV4)
        receipt = receipt_of(submit_web(client))
        client.post("/integrity/return/", {"receipt": "9" * 25})
        client.post("/integrity/return/", {"receipt": receipt})
        client.get("/integrity/report/")
        client.get("/integrity/no-such-page/")  # django.request logs "Not Found"
        v6 = Client(REMOTE_ADDR=IPV6)
        v6.post("/integrity/return/", {"receipt": "8" * 25})
        # Code that logs the address during an integrity request is redacted too.
        token = in_integrity_request.set(True)
        try:
            logging.getLogger("peygir.test").warning("client %s via %s", IPV4, IPV6)
        finally:
            in_integrity_request.reset(token)
        unlocked(handler_a).get("/staff/integrity/")
    finally:
        handler.setStream(old_stream)  # type: ignore[attr-defined]
        logging.getLogger().setLevel(old_level)
    output = buffer.getvalue()
    assert "Not Found: /integrity/no-such-page/" in output
    assert "client [redacted] via [redacted]" in output
    for needle in (IPV4, IPV6, "Marker-UA"):
        assert needle not in output
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            text = str(cursor.fetchall())
            for needle in (IPV4, IPV6, "Marker-UA"):
                assert needle not in text, model._meta.db_table


def test_the_filter_strips_the_request_from_records_about_integrity_paths():
    record = logging.LogRecord(
        "django.server", logging.INFO, __file__, 1, '"%s" %s', ("GET /integrity/ HTTP/1.1", 200), None
    )
    record.request = object()
    IntegrityLogFilter().filter(record)
    assert record.request is None
    other = logging.LogRecord("django.server", logging.INFO, __file__, 1, "from %s", (IPV4,), None)
    IntegrityLogFilter().filter(other)
    assert other.getMessage() == f"from {IPV4}"
