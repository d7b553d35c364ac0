"""The messenger bot: a Telegram-Bot-API-compatible bot (Bale implements the same API).

See docs/operations/bot.md. ``client`` speaks the Bot API, ``messages`` reads updates,
``conversation`` is the state machine, ``services`` records and answers updates (webhook view in
``views``, long polling in ``manage.py run_bot``).
"""
