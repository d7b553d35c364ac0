"""The knowledge base's pages for supervisors: list, write, edit, history."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from peygir.core.errors import ApplicationError, NotFound
from peygir.staff.decorators import supervisor_required
from peygir.staff.views.common import staff_render

from ..forms import ArticleForm
from ..knowledge import access_article, article_save, article_search
from ..models import Article


def _article(public_id: Any) -> Article:
    try:
        return access_article(public_id=public_id, published_only=False)
    except NotFound as exc:
        raise Http404 from exc


@supervisor_required
@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    articles = (
        article_search(query=query, limit=100)
        if query
        else list(Article.objects.prefetch_related("categories")[:200])
    )
    return staff_render(
        request, "callcenter/kb_list.html", {"nav_section": "kb", "articles": articles, "query": query}
    )


@supervisor_required
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    article = _article(public_id) if public_id else None
    initial = {}
    if article is not None:
        initial = {
            "title": article.title,
            "body": article.body,
            "categories": list(article.categories.all()),
            "is_published": article.is_published,
            "version": article.version,
        }
    form = ArticleForm(request.POST or None, initial=initial or {"is_published": True})
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = article_save(
                actor=request.user,
                title=data["title"],
                body=data["body"],
                categories=data["categories"],
                is_published=data["is_published"],
                article=article,
                expected_version=data.get("version"),
            )
        except ApplicationError as exc:
            error = str(exc.detail)
        else:
            return redirect("callcenter:kb_history", public_id=saved.public_id)
    status = 422 if request.method == "POST" else 200
    return staff_render(
        request,
        "callcenter/kb_edit.html",
        {"nav_section": "kb", "form": form, "article": article, "error": error},
        status=status,
    )


@supervisor_required
@require_GET
def article_history(request: HttpRequest, public_id: str) -> HttpResponse:
    article = _article(public_id)
    return staff_render(
        request,
        "callcenter/kb_history.html",
        {"nav_section": "kb", "article": article, "revisions": article.revisions.select_related("edited_by")},
    )
