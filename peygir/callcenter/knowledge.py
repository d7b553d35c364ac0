"""The knowledge base: edits with history (supervisors), normalised search and suggestions (agents)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from peygir.audit.services import audit_record
from peygir.catalog.models import Category
from peygir.core.errors import NotFound, ValidationError
from peygir.core.text import normalize_for_search, normalize_text

from .models import Article, ArticleRevision, ArticleUse, Call

MAX_TITLE = 200
MAX_BODY = 20000


def _clean(title: str, body: str) -> tuple[str, str]:
    title, body = normalize_text(title), normalize_text(body)
    if not 3 <= len(title) <= MAX_TITLE:
        raise ValidationError(_("عنوان مقاله را در ۳ تا ۲۰۰ نویسه بنویسید."), code="bad_title")
    if not 10 <= len(body) <= MAX_BODY:
        raise ValidationError(_("متن مقاله را دست‌کم در ۱۰ نویسه بنویسید."), code="bad_body")
    return title, body


def _revision(article: Article, codes: list[str], actor: Any) -> None:
    ArticleRevision.objects.create(
        article=article,
        version=article.version,
        title=article.title,
        body=article.body,
        categories=codes,
        is_published=article.is_published,
        edited_by=actor,
    )


def article_save(
    *,
    actor: Any,
    title: str,
    body: str,
    categories: Iterable[Category],
    is_published: bool = True,
    article: Article | None = None,
    expected_version: int | None = None,
) -> Article:
    """Create an article, or edit one (a new version) keeping the previous text in its history.

    Raises ValidationError for a bad title or body, and when the article was edited meanwhile
    (``expected_version`` differs from the stored one).
    """
    title, body = _clean(title, body)
    categories = list(categories)
    codes = sorted(c.code for c in categories)
    search_text = normalize_for_search(f"{title} {body}")
    with transaction.atomic():
        if article is None:
            article = Article.objects.create(
                title=title, body=body, search_text=search_text, is_published=is_published, updated_by=actor
            )
            before = None
        else:
            if expected_version is not None and expected_version != article.version:
                raise ValidationError(
                    _("این مقاله هم‌زمان ویرایش شده است؛ صفحه را دوباره باز کنید."), code="stale_version"
                )
            before = {"version": article.version, "title": article.title}
            updated = Article.objects.filter(pk=article.pk, version=article.version).update(
                title=title,
                body=body,
                search_text=search_text,
                is_published=is_published,
                updated_by=actor,
                version=F("version") + 1,
            )
            if not updated:
                raise ValidationError(
                    _("این مقاله هم‌زمان ویرایش شده است؛ صفحه را دوباره باز کنید."), code="stale_version"
                )
            article.refresh_from_db()
        article.categories.set(categories)
        _revision(article, codes, actor)
        audit_record(
            actor=actor,
            action="callcenter.article_save",
            object_type="callcenter.article",
            object_id=str(article.public_id),
            before=before,
            after={"version": article.version, "title": title, "categories": codes},
        )
    return article


def article_search(*, query: str = "", category: str = "", limit: int = 10) -> list[Article]:
    """Published articles matching every word of ``query`` (normalised: ي/ی, ك/ک, ZWNJ, digits,
    diacritics all meet) and/or linked to ``category``; title hits first, then most used."""
    qs: QuerySet[Article] = Article.objects.filter(is_published=True)
    if category:
        qs = qs.filter(categories__code=category)
    words = normalize_for_search(query).split()[:8]
    for word in words:
        qs = qs.filter(search_text__contains=word)
    articles = list(qs.distinct().order_by("-use_count", "title")[: limit * 3])
    if words:
        articles.sort(
            key=lambda a: (
                -sum(word in normalize_for_search(a.title) for word in words),
                -a.use_count,
                a.title,
            )
        )
    return articles[:limit]


def article_suggestions(*, category: str, limit: int = 5) -> list[Article]:
    """The most used published articles of a category (what the console shows when it is picked)."""
    if not category:
        return []
    return list(
        Article.objects.filter(is_published=True, categories__code=category)
        .distinct()
        .order_by("-use_count", "title")[:limit]
    )


def access_article(*, public_id: Any, published_only: bool = True) -> Article:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError as exc:
        raise NotFound(_("مقاله‌ای پیدا نشد.")) from exc
    qs = Article.objects.filter(public_id=key)
    if published_only:
        qs = qs.filter(is_published=True)
    article = qs.first()
    if article is None:
        raise NotFound(_("مقاله‌ای پیدا نشد."))
    return article


def article_use(*, article: Article, actor: Any, call: Call | None = None) -> Article:
    """Count one use of the article by an agent (on a call, when there is one)."""
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(use_count=F("use_count") + 1)
        ArticleUse.objects.create(article=article, agent=actor, call=call)
    article.refresh_from_db(fields=["use_count"])
    return article
