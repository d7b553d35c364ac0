"""Background tasks of the messenger bot: thin wrappers that call services."""

from __future__ import annotations

from django_tasks import task

from .services import bot_chats_expire


@task()
def bot_chats_expire_task() -> int:
    return bot_chats_expire()
