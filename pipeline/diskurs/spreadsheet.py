"""Cell text that spreadsheets show as text and never evaluate, and the way back.

Excel and LibreOffice execute a CSV cell that begins with =, +, -, @, tab or carriage return as a
formula (OWASP, "CSV Injection"). Every CSV file diskurs writes passes its text through
:func:`neutralise`, which prefixes such a cell with a single quote, as OWASP recommends; a plain
number ("-5", "-2,5") stays as it is. A cell that already begins with a quote gets one more, so
the escape can always be undone: :func:`restore` gives back the exact original text, and
``diskurs.io.read_csv`` applies it, so a file name in the manifest ("-notat.txt") joins with the
file again. The Parquet files and the workbook hold the original text: neither runs formulas
(the workbook's cells are written as strings).
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
NEGATIVE_NUMBER = re.compile(r"^-\d+(?:[.,]\d+)?$")


def neutralise(value):
    """The CSV cell text a spreadsheet shows as text (non-text values pass through)."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(ESCAPE) or (value.startswith(FORMULA_TRIGGERS) and not NEGATIVE_NUMBER.match(value)):
        return ESCAPE + value
    return value


def restore(value):
    """The original text of a cell :func:`neutralise` made safe."""
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:2] and value[1] in (ESCAPE, *FORMULA_TRIGGERS):
        return value[1:]
    return value
