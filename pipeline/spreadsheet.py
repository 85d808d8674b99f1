"""Cell text that spreadsheets show as text and never evaluate.

Excel and LibreOffice execute a cell that begins with =, +, -, @, tab or carriage return as a
formula (OWASP, "CSV Injection"). Every table diskurs writes for spreadsheets passes its text
through :func:`neutralise`:
- =, +, @, tab, CR: prefixed with a single quote, as OWASP recommends;
- a leading hyphen-minus: a plain negative number ("-5", "-2,5") stays as it is; anything else
  gets an en dash instead ("- Kjør på" -> "– Kjør på"). Norwegian quoted speech opens with a
  dash, and the en dash is the typographically correct speech dash, so the sentence stays
  readable while no spreadsheet treats it as a formula.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "@", "\t", "\r")
NEGATIVE_NUMBER = re.compile(r"^-\d+(?:[.,]\d+)?$")
EN_DASH = "\u2013"


def neutralise(value):
    """The cell text a spreadsheet shows as text (non-text values pass through)."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] == "-":
        return value if NEGATIVE_NUMBER.match(value) else EN_DASH + value[1:]
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
