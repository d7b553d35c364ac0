"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Import every view (and what they import: scikit-learn, openpyxl, fonts…) now, then move all these
# long-lived objects out of the garbage collector's sight. Without this a full collection walks about
# 250,000 objects, which takes ~150 ms and lands on a random request every few requests (the p95/p99
# of the staff pages, bench/README.md). With gunicorn's preload_app the frozen objects are also shared
# by the workers instead of being copied on the first collection.
get_resolver().url_patterns  # noqa: B018 - the side effect (importing the views) is the point
gc.collect()
gc.freeze()
