"""Normalising names as they appear in government documents."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_name(value: str) -> str:
    """ "隋  斌" → "隋斌"; full-width letters and digits folded (NFKC); all spaces removed."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", value or ""))
