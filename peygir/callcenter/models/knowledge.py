"""The knowledge base agents answer from: Persian articles linked to categories, with their history."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Article(models.Model):
    """A knowledge-base article (دانشنامه): what an agent reads out or sends to a caller.

    ``search_text`` is ``normalize_for_search(title + body)``; ``use_count`` grows with every use by
    an agent (F()); every edit leaves an ``ArticleRevision``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("عنوان"), max_length=200)
    body = models.TextField(_("متن"))
    categories = models.ManyToManyField(
        "catalog.Category", blank=True, related_name="+", verbose_name=_("دسته‌ها")
    )
    search_text = models.TextField(blank=True, default="")
    is_published = models.BooleanField(_("منتشرشده"), default=True)
    use_count = models.PositiveIntegerField(_("دفعات استفاده"), default=0)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("مقاله دانشنامه")
        verbose_name_plural = _("مقاله‌های دانشنامه")
        ordering = ["-use_count", "title"]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """An article as it was after one edit: who changed it, when, and the text they left."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    categories = models.JSONField(default=list)
    is_published = models.BooleanField(default=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "version"], name="callcenter_articlerevision_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.version}"


class ArticleUse(models.Model):
    """An agent used an article while answering (the usage counts and the per-call trail)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="uses")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    call = models.ForeignKey(
        "callcenter.Call", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.created_at:%Y-%m-%d %H:%M}"
