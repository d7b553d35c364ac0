"""Models are added by the app."""
