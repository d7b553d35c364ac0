"""Shared pytest fixtures: the personas of STYLE.md live in peygir/core/testing."""

from __future__ import annotations

pytest_plugins = ["peygir.core.testing.fixtures", "peygir.core.testing.personas"]
