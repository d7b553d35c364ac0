from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from peygir.cases.models import Case
from peygir.cases.services import case_submit
from peygir.core.testing.auth import sign_in  # noqa: F401 - used by this app's tests
from peygir.insights.classifier import ModelBundle
from peygir.insights.corpus import read_tsv
from peygir.insights.store import bundle_save, forget_loaded
from peygir.insights.training import TrainingData, bundle_train

DATA = Path(__file__).resolve().parent / "data"
SMALL = DATA / "small.tsv"
POINT_6 = (35.72617, 51.40322)
POINT_7 = (35.72193, 51.44392)
_BUNDLE: dict[str, ModelBundle] = {}


def small_bundle() -> ModelBundle:
    """A model trained once per process on the tests' own small corpus (6 categories × 8 messages)."""
    if "small" not in _BUNDLE:
        _BUNDLE["small"] = bundle_train(TrainingData(read_tsv(SMALL), [], {"corpus": 48}))
    return _BUNDLE["small"]


@pytest.fixture(autouse=True)
def _insights_settings(settings: Any, tmp_path: Path) -> Any:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
    settings.INSIGHTS = {
        **settings.INSIGHTS,
        "MODEL_DIR": tmp_path / "models",
        "AUTO_TRAIN": False,
        "LLM_BACKEND": "",
        "AUTO_CLASSIFY_THRESHOLD": 0.5,
    }
    forget_loaded()
    yield
    forget_loaded()


@pytest.fixture
def fresh_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def model(settings: Any) -> ModelBundle:
    """The small model, saved as the model in use."""
    bundle = small_bundle()
    bundle_save(bundle)
    return bundle


@pytest.fixture
def submit(org_tree: Any) -> Any:
    def _submit(**overrides: Any) -> Case:
        lat, lon = overrides.pop("point", POINT_6)
        fields: dict[str, Any] = {
            "channel": Case.Channel.WEB,
            "message_type": "request",
            "category": "waste",
            "description": "زباله‌های کوچه جمع‌آوری نشده است.",
            "lat": lat,
            "lon": lon,
            "contact_phone": "09121112233",
        }
        fields.update(overrides)
        return case_submit(**fields).case

    return _submit


def copy_small(tmp_path: Path) -> Path:
    target = tmp_path / "small.tsv"
    shutil.copy(SMALL, target)
    return target
