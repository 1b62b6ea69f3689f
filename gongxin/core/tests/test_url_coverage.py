"""Every URL of the project has an expected outcome per method and persona in some app's
permission matrix; a new URL without one fails here."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.apps import apps

from gongxin.core.permissions_matrix import REQUIRED_METHODS, url_names


def all_matrices() -> dict:
    """Every *MATRIX dict of every app's tests/test_*permissions*.py."""
    merged: dict = {}
    for config in apps.get_app_configs():
        tests_dir = Path(config.path) / "tests"
        if not config.name.startswith("gongxin.") or not tests_dir.is_dir():
            continue
        for path in sorted(tests_dir.glob("test_*permissions*.py")):
            module = importlib.import_module(f"{config.name}.tests.{path.stem}")
            for name, value in vars(module).items():
                if name.endswith("MATRIX") and isinstance(value, dict):
                    merged.update(value)
    return merged


def test_every_url_has_a_get_and_a_post_entry():
    matrix = all_matrices()
    missing = [
        f"{name} {method}"
        for name in sorted(url_names())
        for method in REQUIRED_METHODS
        if (name, method) not in matrix
    ]
    assert missing == [], "URLs without an expected outcome: " + ", ".join(missing)


def test_the_matrix_names_no_url_that_does_not_exist():
    stale = sorted({name for name, _ in all_matrices()} - url_names())
    assert stale == []
