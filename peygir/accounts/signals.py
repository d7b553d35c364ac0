"""Signals of the accounts app, for apps above it that react without being imported here."""

from django.dispatch import Signal

# Sent after a citizen proved they hold a mobile number (a sign-in code, a shared bot contact).
# Receivers get ``user``; the cases app links the citizen's earlier guest cases to them.
mobile_verified = Signal()
