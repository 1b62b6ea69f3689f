"""Policies pages: ledger (to be written)."""

from __future__ import annotations

urlpatterns: list = []
