"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against a live server.

They skip, saying why, where Chromium is absent (``make test`` installs it where it can).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("PEYGIR_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(
    os.environ.get("PEYGIR_SCREENSHOTS", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (run `make browser` as root to install Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """After a live-server test's flush, put back the migrations' rows and the personas.

    The flush is in pytest-django's fixture teardown, so this runs after every fixture has finished:
    whatever runs next on this worker (xdist), ordinary test or not, finds the catalog, the SLA
    calendar and the organization that the session started with.
    """
    result = yield
    # With no next item the session's fixtures are gone too, the test database with them: nothing
    # to restore, and the connection now points at the real database, which must not be touched.
    if nextitem is not None and "live_server" in getattr(item, "fixturenames", ()):
        from django.db import connections
        from pytest_django.plugin import blocking_manager_key

        from peygir.core.testing.personas import _seed_baseline

        connection = connections["default"]
        contents = getattr(connection, "_test_serialized_contents", None)
        with item.config.stash[blocking_manager_key].unblock():
            if contents:
                connection.creation.deserialize_db_from_string(contents)
            _seed_baseline()
    return result


@pytest.fixture(autouse=True)
def _browser_settings(settings: Any, tmp_path: Path) -> None:
    """Tasks run at once (notifications are written when the page is answered); photos go to a tmp dir.

    The live server runs in a thread of this process, so it sees these settings too.
    """
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def new_page(browser: Any, live_server: Any, django_db_serialized_rollback: None) -> Iterator[Any]:
    """Open a page in a fresh browser context (its own cookies) on the live server.

    ``live_server`` makes the test transactional: the database is flushed after it. The serialized
    rollback puts back what the migrations seeded (catalog, SLA calendar) before the test, whatever
    flushed it; ``pytest_runtest_teardown`` above does so after it. ``page.errors`` collects
    JavaScript errors and ``page.csp_violations`` what the Content-Security-Policy blocked.
    """
    contexts: list[Any] = []

    def _open(viewport: dict[str, int] = PHONE, locale: str = "fa-IR") -> Any:
        context = browser.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        context.set_default_timeout(15_000)
        # Map tiles come from the internet in production; the tests have none, so answer locally.
        context.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(status=204, body=""))
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        # Chromium reports a blocked inline script or style as a console error naming the policy.
        page.csp_violations = []
        page.on(
            "console",
            lambda message: (
                page.csp_violations.append(message.text)
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield _open
    for context in contexts:
        context.close()


def screenshot(page: Any, name: str) -> Path:
    """A full-page PNG in var/screenshots/, once the web fonts and the page's photos have loaded."""
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Fonts swap in when ready (font-display: swap) and photos load lazily: wait, or the picture
    # shows the fallback font and empty frames.
    page.evaluate("document.fonts.ready.then(() => document.fonts.status)")
    for image in page.locator("main img:not(.leaflet-tile)").all():  # the tests serve no tiles
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0, f"{page.url}: an image did not load"
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)
    return path
