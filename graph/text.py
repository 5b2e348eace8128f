"""Search keys: identifiers written several ways become one full-text token.

Kùzu's full-text tokenizer keeps letters only, so a CAS number ``64-17-5`` or a refrigerant
``R-134a``/``R134a`` cannot be matched by its digits. Both the indexed text and the query get a
letters-only key (digits spelled a–j, groups joined by x, prefixed zz) that BM25 matches exactly.

>>> search_keys("ethanol, CAS 64-17-5; refrigerant R-134a")
'zzcasgexbhxf zzrbdea'
>>> search_keys("R134a") == search_keys("R-134a")
True
"""

from __future__ import annotations

import re

_CAS = re.compile(r"\b(\d{2,7})-(\d{2})-(\d)\b")
_CODE = re.compile(r"\b([A-Za-z]{1,3})-?(\d{2,4}[A-Za-z]{0,2})\b")
_DIGITS = str.maketrans("0123456789", "abcdefghij")


def _spell(s: str) -> str:
    return s.lower().translate(_DIGITS)


def search_keys(text: str) -> str:
    """Letters-only tokens for the identifiers in ``text`` (space-separated)."""
    keys = [f"zzcas{_spell(a)}x{_spell(b)}x{_spell(c)}" for a, b, c in _CAS.findall(text)]
    keys += [f"zz{_spell(a)}{_spell(b)}" for a, b in _CODE.findall(text)]
    return " ".join(dict.fromkeys(keys))


def with_keys(text: str) -> str:
    """``text`` followed by its search keys (what the full-text index stores)."""
    keys = search_keys(text)
    return f"{text} {keys}" if keys else text
