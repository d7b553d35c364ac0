from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.test import Client

from peygir.insights.llm import AssistantError, ChatAssistant
from peygir.insights.registry import assistant
from peygir.insights.trends import emerging_terms, terms_of, week_start

from .conftest import sign_in

SEEN: list[dict] = []


class FakeChat(BaseHTTPRequestHandler):
    """An OpenAI-compatible /v1/chat/completions on 127.0.0.1 that echoes what it was asked."""

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        SEEN.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if body["model"] == "broken":
            self.send_response(500)
            self.end_headers()
            return
        system = body["messages"][0]["content"]
        answer = "خلاصه: چاله بزرگ در خیابان." if "خلاصه" in system else "شهروند گرامی، [...] رسیدگی می‌شود."
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": answer}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_llm(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeChat)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    SEEN.clear()
    settings.INSIGHTS = {
        **settings.INSIGHTS,
        "LLM_BACKEND": "openai",
        "LLM_BASE_URL": f"http://127.0.0.1:{server.server_port}/v1",
        "LLM_API_KEY": "secret-key",
        "LLM_MODEL": "local-model",
        "LLM_TIMEOUT": 5,
    }
    yield server
    server.shutdown()
    server.server_close()


def test_the_assistant_is_off_by_default():
    assert assistant() is None


def test_summary_and_draft_from_an_openai_compatible_server(fake_llm):
    helper = assistant()
    assert helper.summarise("یک چاله بزرگ وسط خیابان است") == "خلاصه: چاله بزرگ در خیابان."
    assert helper.draft_reply(text="چاله", category="آسفالت", unit="منطقه ۶").startswith("شهروند گرامی")
    assert [seen["path"] for seen in SEEN] == ["/v1/chat/completions", "/v1/chat/completions"]
    assert SEEN[0]["auth"] == "Bearer secret-key"
    assert SEEN[0]["body"]["model"] == "local-model"
    assert SEEN[1]["body"]["messages"][1]["content"].startswith("موضوع: آسفالت")


def test_a_failing_server_is_an_assistant_error(fake_llm):
    helper = ChatAssistant(base_url=f"http://127.0.0.1:{fake_llm.server_port}", model="broken", timeout=5)
    with pytest.raises(AssistantError, match="HTTP 500"):
        helper.summarise("متن")
    closed = ChatAssistant(base_url="http://127.0.0.1:9", timeout=1)
    with pytest.raises(AssistantError, match="unreachable"):
        closed.summarise("متن")


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_cache")
def test_the_officer_gets_a_draft_on_the_panel(fake_llm, model, submit, officer6):
    case = submit(category="roads", description="یک چاله بزرگ وسط خیابان است")
    client = sign_in(Client(), officer6)
    panel = client.get(f"/staff/insights/cases/{case.public_id}/").content.decode()
    assert "پیش‌نویس پاسخ" in panel
    response = client.post(f"/staff/insights/cases/{case.public_id}/assist/", {"kind": "draft"})
    assert response.status_code == 200
    assert "شهروند گرامی، [...] رسیدگی می‌شود." in response.content.decode()
    assert "09121112233" not in json.dumps(SEEN, ensure_ascii=False)  # no contact data leaves
    bad = client.post(f"/staff/insights/cases/{case.public_id}/assist/", {"kind": "poem"})
    assert bad.status_code == 422


def test_terms_skip_stopwords_and_pair_words():
    assert terms_of("بوی بد از کانال در کوچه") == {"بوی", "بد", "کانال", "بوی بد", "بد کانال"}


def test_week_starts_on_saturday():
    assert week_start(dt.date(2025, 6, 18)) == dt.date(2025, 6, 14)  # a Wednesday → the Saturday before
    assert week_start(dt.date(2025, 6, 14)) == dt.date(2025, 6, 14)


@pytest.mark.django_db
def test_a_term_rising_this_week_is_emerging(submit, district6):
    week = dt.date(2025, 6, 14)
    for days_back in (10, 20, 30, 40):
        with time_machine.travel(
            dt.datetime.combine(week - dt.timedelta(days=days_back), dt.time(10), tzinfo=dt.UTC)
        ):
            submit(category="waste", description="زباله‌های کوچه جمع‌آوری نشده است")
    for day in range(4):
        with time_machine.travel(
            dt.datetime.combine(week + dt.timedelta(days=day), dt.time(10), tzinfo=dt.UTC)
        ):
            submit(category="animals", description="سگ ولگرد در پارک به بچه‌ها حمله می‌کند")
    result = emerging_terms(district_ids=[district6.pk], week=week)
    terms = [term.term for term in result[district6.pk]]
    assert "سگ ولگرد" in terms
    assert "زباله" not in " ".join(terms)
    top = result[district6.pk][0]
    assert top.count == 4 and top.baseline_count == 0
