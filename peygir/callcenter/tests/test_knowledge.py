"""The knowledge base: normalised search, suggestions per category, usage counts, edit history."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from peygir.callcenter.knowledge import article_save, article_search, article_suggestions, article_use
from peygir.callcenter.models import Article, ArticleRevision
from peygir.catalog.models import Category
from peygir.core.errors import ValidationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def waste_article(supervisor: Any) -> Article:
    return article_save(
        actor=supervisor,
        title="ساعت جمع‌آوری زباله",
        body="زباله‌های خانگی هر شب از ساعت ۲۱ تا ۲۳ جمع‌آوری می‌شود.",
        categories=Category.objects.filter(code="waste"),
    )


def test_search_meets_arabic_letters_zwnj_and_digits(waste_article: Article) -> None:
    assert article_search(query="زباله") == [waste_article]
    assert article_search(query="جمع آوري") == [waste_article]  # Arabic yeh, a space for the ZWNJ
    assert article_search(query="21") == [waste_article]  # Latin digits meet Persian ones
    assert article_search(query="درخت") == []


def test_suggestions_follow_the_category_and_usage(
    waste_article: Article, supervisor: Any, agent: Any
) -> None:
    other = article_save(
        actor=supervisor,
        title="پسماند ساختمانی",
        body="نخاله ساختمانی را با سامانه ۱۳۷ هماهنگ کنید.",
        categories=Category.objects.filter(code="waste"),
    )
    article_use(article=other, actor=agent)
    article_use(article=other, actor=agent)
    assert article_suggestions(category="waste") == [other, waste_article]
    assert article_suggestions(category="green") == []
    other.refresh_from_db()
    assert other.use_count == 2


def test_edits_keep_a_history_and_refuse_a_stale_version(waste_article: Article, supervisor: Any) -> None:
    edited = article_save(
        actor=supervisor,
        article=waste_article,
        expected_version=1,
        title="ساعت جمع‌آوری زباله (اصلاح)",
        body="زباله‌های خانگی هر شب از ساعت ۲۱ تا ۲۴ جمع‌آوری می‌شود.",
        categories=[],
    )
    assert edited.version == 2
    assert list(ArticleRevision.objects.filter(article=edited).values_list("version", "title")) == [
        (2, "ساعت جمع‌آوری زباله (اصلاح)"),
        (1, "ساعت جمع‌آوری زباله"),
    ]
    with pytest.raises(ValidationError):
        article_save(
            actor=supervisor,
            article=edited,
            expected_version=1,
            title="کهنه",
            body="متن کهنه‌ای که نباید بنشیند.",
            categories=[],
        )
    edited.refresh_from_db()
    assert edited.version == 2


def test_pages_supervisor_edits_agent_searches_and_uses(
    waste_article: Article, as_supervisor: Client, as_agent: Client
) -> None:
    bad = as_supervisor.post("/staff/callcenter/kb/new/", {"title": "ا", "body": "کوتاه"})
    assert bad.status_code == 422 and Article.objects.count() == 1
    response = as_supervisor.post(
        f"/staff/callcenter/kb/{waste_article.public_id}/edit/",
        {
            "title": "ساعت جمع‌آوری زباله",
            "body": "هر شب از ساعت ۲۱ تا ۲۳.",
            "version": "1",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    assert (
        as_agent.post(f"/staff/callcenter/kb/{waste_article.public_id}/edit/", {"title": "x"}).status_code
        == 404
    )
    found = as_agent.get("/staff/console/kb/", {"q": "زباله"})
    assert "ساعت جمع‌آوری زباله" in found.content.decode()
    used = as_agent.post(f"/staff/console/kb/{waste_article.public_id}/use/")
    assert used.status_code == 200
    waste_article.refresh_from_db()
    assert (waste_article.version, waste_article.use_count) == (2, 1)
