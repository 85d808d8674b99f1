"""The world's countries by their Norwegian names, from the Unicode CLDR data Babel ships."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale

# CLDR codes that name no country: the EU, the euro area, the UN, pseudo-locales, "unknown
# region", "outlying Oceania".
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "XA", "XB", "ZZ", "QO", "UM"})


@lru_cache(maxsize=1)
def country_names() -> frozenset[str]:
    """Case-folded bokmål and nynorsk names of countries and territories ("chile", "noreg").
    Names of fewer than four letters other than acronyms are left out ("Man" for the Isle of Man)."""
    names = set()
    for locale in ("nb", "nn"):
        for code, name in Locale(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES and name[:1].isupper():
                if len(name) >= 4 or name.isupper():
                    names.add(name.casefold())
    return frozenset(names)


def is_country(text: str) -> bool:
    """Whether ``text`` or its genitive stem ("Chiles") is a country's name."""
    folded = " ".join(text.split()).casefold()
    names = country_names()
    return folded in names or (folded.endswith("s") and folded[:-1] in names)
