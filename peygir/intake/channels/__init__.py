"""Intake channels: each sub-package turns one outside protocol into calls to the case services."""
