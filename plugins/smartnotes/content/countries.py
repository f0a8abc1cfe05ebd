"""Country names and ISO 3166 codes, normalised to one display name."""

from __future__ import annotations

from functools import lru_cache

import pycountry

# A few everyday names that ISO 3166 spells differently.
_ALIASES = {
    "russia": "RU", "south korea": "KR", "north korea": "KP", "vietnam": "VN", "laos": "LA",
    "bolivia": "BO", "iran": "IR", "syria": "SY", "tanzania": "TZ", "venezuela": "VE",
    "moldova": "MD", "palestine": "PS", "ivory coast": "CI", "cote d'ivoire": "CI",
    "kosovo": "XK", "drc": "CD", "dr congo": "CD", "democratic republic of the congo": "CD",
    "turkey": "TR", "czech republic": "CZ", "macedonia": "MK", "swaziland": "SZ", "burma": "MM",
}
_KOSOVO = "Kosovo"  # not in ISO 3166-1, but a country our publications cover


def display_name(country) -> str:
    return getattr(country, "common_name", None) or country.name


@lru_cache(maxsize=None)
def normalise_country(value: str) -> str | None:
    """The display name for a country name or code, or None if unknown."""
    text = value.strip()
    if not text:
        return None
    code = _ALIASES.get(text.casefold())
    if code == "XK":
        return _KOSOVO
    try:
        country = pycountry.countries.lookup(code or text)
    except LookupError:
        return None
    return display_name(country)


@lru_cache(maxsize=1)
def all_country_names() -> tuple[str, ...]:
    names = {display_name(c) for c in pycountry.countries} | {_KOSOVO}
    return tuple(sorted(names))


@lru_cache(maxsize=1)
def country_spellings() -> tuple[str, ...]:
    """Every spelling :func:`normalise_country` reads, as written in ISO 3166 (names, official and
    common names, two- and three-letter codes) and the everyday aliases; it also reads them in any case."""
    spellings = {_KOSOVO, "XK"}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name", "alpha_2", "alpha_3"):
            value = getattr(country, attribute, None)
            if value:
                spellings.add(value)
    for alias in _ALIASES:
        spellings.add(alias.title().replace("'I", "'i").replace("Drc", "DRC").replace("Dr ", "DR ")
                      .replace(" Of The ", " of the "))
    return tuple(sorted(s for s in spellings if normalise_country(s) is not None))
