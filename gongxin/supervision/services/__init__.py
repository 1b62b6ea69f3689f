"""Every write of supervision, as plain functions taking the acting user; each runs in one
transaction and writes its audit rows. `importing` applies imported tables; `workflow`
carries an item through the cycle 交办 → 签收 → 反馈 → 审核 → 销号."""

from __future__ import annotations

from gongxin.supervision.services.importing import (
    apply_import,
    item_state,
    item_state_from_parsed,
    item_target,
    items_by_seq,
    progress_cell,
    save_item,
    save_plan,
    unknown_units,
)

__all__ = [
    "apply_import",
    "item_state",
    "item_state_from_parsed",
    "item_target",
    "items_by_seq",
    "progress_cell",
    "save_item",
    "save_plan",
    "unknown_units",
]
