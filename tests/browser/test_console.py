"""The agent console in the browser: a call replayed over AMI pops the caller's history, and the agent
registers a case for the caller and closes the call."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from peygir.callcenter.ami.protocol import Message
from peygir.callcenter.models import AgentExtension, Call
from peygir.callcenter.pbx import AmiBridge
from peygir.callcenter.tests.amiserver import ServerThread, recording
from peygir.cases.models import Case
from peygir.cases.services import case_submit
from peygir.core.text import to_persian_digits
from peygir.feedback.models import Rating

from .conftest import DESKTOP, screenshot
from .steps import staff_sign_in


class BridgeThread:
    """run_ami's bridge on its own event loop, connected to the loopback AMI server."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stop_event: asyncio.Event | None = None
        self.bridge: AmiBridge | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        async def main() -> None:
            self.loop = asyncio.get_running_loop()
            self.stop_event = asyncio.Event()
            self.bridge = AmiBridge(
                {"host": "127.0.0.1", "port": self.port, "username": "peygir", "secret": "s3cret"},
                poll_seconds=0.1,
            )
            await self.bridge.run(self.stop_event)

        asyncio.run(main())

    def start(self) -> None:
        self.thread.start()
        for _ in range(100):
            if self.bridge is not None and self.bridge.client.connected.is_set():
                return
            time.sleep(0.05)
        raise AssertionError("the bridge did not log in to the loopback AMI server")

    def stop(self) -> None:
        if self.loop is not None and self.stop_event is not None:
            self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(10)


def _live(events: list[Message]) -> list[Message]:
    """The recording as if happening now (no Timestamp: the consumer stamps events as it reads them)."""
    return [Message({k: v for k, v in e.items() if k != "Timestamp"}) for e in events]


def test_a_replayed_call_pops_the_callers_history_and_the_agent_registers_a_case(
    new_page: Any, agent: Any, citizen: Any, settings: Any
) -> None:
    settings.PEYGIR = {**settings.PEYGIR, "CALLCENTER_SSE_SECONDS": 20}
    AgentExtension.objects.create(extension="1001", user=agent)
    earlier = case_submit(
        channel="web",
        message_type="request",
        category="lighting",
        description="چراغ‌های کوچه دو شب است خاموش است.",
        citizen=citizen,
    ).case
    Rating.objects.create(case=earlier, citizen=citizen, response_at=timezone.now(), score=4, fixed=True)

    server = ServerThread()
    port = server.start()
    bridge = BridgeThread(port)
    bridge.start()
    try:
        page = new_page(DESKTOP)
        staff_sign_in(page, "agent")
        page.locator(".site-nav").get_by_role("link", name="میز پاسخگویی").click()
        expect(page.get_by_role("heading", name="میز پاسخگویی")).to_be_visible()
        page.get_by_role("button", name="آماده پاسخ").click()
        expect(page.locator("#state-badge")).to_have_text("آماده پاسخ")
        expect(page.locator("body")).to_have_attribute("data-sse", "open")

        events = _live(recording("ami_answered_call.ami"))
        sent_at = time.time()
        server.server.send_threadsafe(events[:6])  # rings, then the agent answers
        panel = page.locator("#call-panel")
        expect(panel).to_contain_text("مریم شهروند")
        expect(panel.locator("#open-cases")).to_contain_text(to_persian_digits(earlier.tracking_code))
        expect(panel).to_contain_text("۴ از ۵")
        pops = page.evaluate("window.peygirConsole.pops")
        delay_ms = round((pops[0]["shownAt"] - sent_at) * 1000)
        print(
            f"\nscreen pop: {delay_ms} ms from the AMI event leaving the PBX to the caller's history on screen"
        )
        screenshot(page, "callcenter-console-pop")

        panel.get_by_label("دسته موضوعی").select_option("waste")
        panel.get_by_label("منطقه / ناحیه").select_option("district-6")
        panel.get_by_label("نشانی").fill("خیابان فاطمی، کوچه دوم")
        panel.get_by_label("شرح پیام").fill("زباله‌های کوچه سه روز است جمع‌آوری نشده و بوی بد آمده است.")
        panel.get_by_role("button", name="ثبت پیام", exact=True).click()
        expect(page.locator("#registered-note")).to_contain_text("پیام ثبت شد")

        case = Case.objects.get(channel=Case.Channel.PHONE)
        call = Call.objects.get()
        assert case.category is not None and case.district is not None
        assert (case.citizen, case.contact_phone, case.category.code, case.district.code) == (
            citizen,
            "09120000001",
            "waste",
            "district-6",
        )
        assert list(call.cases.all()) == [case]
        expect(page.locator("#registered-note")).to_contain_text(to_persian_digits(case.tracking_code))

        server.server.send_threadsafe(events[6:])  # hold, hang-up, AgentComplete
        expect(page.locator("#console-live")).to_have_text("تماس پایان یافت؛ نتیجه را ثبت کنید.")
        page.locator("#call-panel").get_by_label("نتیجه تماس").select_option("case_registered")
        page.get_by_role("button", name="پایان و ثبت نتیجه").click()
        expect(page.locator("#call-panel")).to_contain_text("نتیجه تماس ثبت شد")
        call.refresh_from_db()
        # TalkTime 105 s from the PBX; the hold was milliseconds long here.
        assert (call.status, call.disposition, call.talk_seconds) == ("completed", "case_registered", 105)
        screenshot(page, "callcenter-console-closed")
        assert page.errors == []
        assert page.csp_violations == []
    finally:
        bridge.stop()
        server.stop()
