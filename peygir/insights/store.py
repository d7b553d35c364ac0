"""Versioned model files under ``INSIGHTS["MODEL_DIR"]`` (never committed to the repository).

A file is ``<name>-<version>.joblib``; the version starts with the UTC training time, so the newest
file sorts last and is the one in use. Loaded once per process and reloaded when a newer file appears.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings

from .classifier import ModelBundle

_lock = threading.Lock()
_cache: dict[str, Any] = {"key": None, "bundle": None}
SUFFIX = ".joblib"


def insights_setting(name: str, default: Any = None) -> Any:
    return getattr(settings, "INSIGHTS", {}).get(name, default)


def model_dir() -> Path:
    return Path(insights_setting("MODEL_DIR", Path(settings.BASE_DIR) / "var" / "models"))


def bundle_files(directory: Path | None = None) -> list[Path]:
    """Model files, oldest first."""
    folder = directory or model_dir()
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob(f"*{SUFFIX}") if path.is_file())


def bundle_save(bundle: ModelBundle, directory: Path | None = None) -> Path:
    """Write ``bundle`` as a new versioned file (atomically: a reader never sees half a file)."""
    folder = directory or model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{bundle.name}-{bundle.version}{SUFFIX}"
    tmp = path.with_suffix(".tmp")
    joblib.dump(bundle, tmp, compress=3)
    os.replace(tmp, path)
    return path


def bundle_load(path: Path) -> ModelBundle:
    bundle = joblib.load(path)
    if not isinstance(bundle, ModelBundle):
        raise TypeError(f"{path} does not hold a Peygir model bundle")
    return bundle


def bundle_current() -> ModelBundle | None:
    """The newest model bundle on disk, or None when there is none yet."""
    files = bundle_files()
    if not files:
        return None
    newest = files[-1]
    key = (str(newest), newest.stat().st_mtime_ns)
    with _lock:
        if _cache["key"] != key:
            _cache["bundle"] = bundle_load(newest)
            _cache["key"] = key
        return _cache["bundle"]  # type: ignore[no-any-return]


def forget_loaded() -> None:
    """Drop the in-process copy (tests, and after a model directory change)."""
    with _lock:
        _cache.update(key=None, bundle=None)
