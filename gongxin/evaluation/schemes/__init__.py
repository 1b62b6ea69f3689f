"""The demo schemes shipped as data (one YAML file each; docs/evaluation.md says where each
weight comes from), loaded through services.save_scheme like any bureau edit."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


def specs():
    from gongxin.evaluation.services import SchemeSpec

    for path in sorted(HERE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        land = data.get("min_land_mu")
        yield SchemeSpec(
            code=data["code"], name=data["name"], year=int(data["year"]),
            population=data["population"], indicators=data["indicators"],
            classes=data["classes"], restrictions=data.get("restrictions") or [],
            adjustments=data.get("adjustments") or [],
            min_land_mu=None if land is None else Decimal(str(land)),
            legal_basis=(data.get("legal_basis") or "").strip(),
            source_note=(data.get("source_note") or "").strip(),
        )  # fmt: skip


def load(actor=None) -> list:
    from gongxin.evaluation.services import save_scheme

    return [save_scheme(actor, spec) for spec in specs()]
