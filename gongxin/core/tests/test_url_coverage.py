"""Every URL of the project has an expected outcome per method and persona in some app's
permission matrix; a new URL without one fails here."""

from __future__ import annotations

import importlib

from django.apps import apps

from gongxin.core.permissions_matrix import REQUIRED_METHODS, url_names


def all_matrices() -> dict:
    merged: dict = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("gongxin."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.test_permissions")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.test_permissions":
                raise
            continue
        merged.update(module.MATRIX)
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
