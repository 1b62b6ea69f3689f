"""Shared pytest fixtures: personas, signed-in clients."""

from __future__ import annotations

import pytest

from gongxin.core.testing import login_as, make_personas


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
