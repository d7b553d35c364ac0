"""Signals the case aggregate sends, for apps above it that react without being imported here."""

from django.dispatch import Signal

# Sent inside the transaction that registers a new case (never for a retried message), so that
# what a receiver writes commits with the case or not at all. Receivers get ``case`` and must only
# do quick writes that may roll back: enqueue a task in the transaction when tasks are rows of this
# database (``peygir.core.tasks.tasks_are_rows_here``), else after commit.
case_registered = Signal()
