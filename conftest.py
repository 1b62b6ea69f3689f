"""Shared pytest fixtures: personas, signed-in clients."""

from __future__ import annotations

import os

os.environ.setdefault("GONGXIN_FAST_HASHER", "1")
os.environ.setdefault("GONGXIN_SECURE_COOKIES", "0")

import pytest  # noqa: E402

from gongxin.core.testing import login_as, make_personas  # noqa: E402


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.fixture
def client_for(client, personas):
    """client_for("reporter_a") → the test client signed in as that persona."""

    def sign_in(name: str):
        client.logout()
        login_as(client, personas[name])
        return client

    return sign_in
