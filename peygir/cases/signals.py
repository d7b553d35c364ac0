"""Signals the case aggregate sends, for apps above it that react without being imported here."""

from django.dispatch import Signal

# Sent after the transaction that registered a new case commits (never for a retried message).
# Receivers get ``case`` (the Case) and must not assume anything about the caller's transaction.
case_registered = Signal()
