"""Policies pages: an enterprise declares the figures a clause reads (to be written)."""

from __future__ import annotations

urlpatterns: list = []
