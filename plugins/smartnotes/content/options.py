"""Options stated once: each feature's options are a dataclass, read from plain data.

Every option is a dataclass field made with :func:`option`: its default, a
one-line doc, and what it accepts. From that one statement come

- the plugin's configuration schema (``mkdocs_adapter/config.py`` derives it;
  ``mkdocs.yml`` spells an option ``<prefix><name>``: ``feeds_limit``),
- the reading of a ``smartnotes:`` mapping by :func:`read_options`, for the
  build and for the commands alike, which reports *every* problem at once,
  each with "did you mean" where a near value exists (Click's style).

Fields made without :func:`option` are not options: the adapter fills them
from the site (a feed's description is the site's).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, Callable, Iterable

from .problems import did_you_mean

Check = Callable[[Any, dict], "tuple[Any, list[str]]"]
Choices = Iterable[str] | Callable[[dict], Iterable[str]]


def option(default: Any, doc: str, *, key: str = "", choices: Choices = (),
           check: Check | None = None, at_least: float | None = None, at_most: float | None = None) -> Any:
    """A documented option: ``key`` overrides its name in mkdocs.yml; ``choices`` the values (or
    items, or keys) it accepts; ``check(value, done) -> (value, problems)`` converts a value of
    another shape. Callables get ``done``: the groups read before this one, by prefix."""
    metadata = {"doc": doc, "key": key, "choices": choices, "check": check, "at_least": at_least, "at_most": at_most}
    if isinstance(default, (list, dict)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


@dataclasses.dataclass(frozen=True)
class OptionSpec:
    name: str  # the dataclass field
    key: str  # as written in mkdocs.yml
    default: Any
    doc: str
    kind: Any  # the field's type


def specs(cls: type, prefix: str = "") -> list[OptionSpec]:
    """The options of an options dataclass, in order."""
    hints = typing.get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if "doc" not in f.metadata:
            continue
        default = f.default_factory() if f.default is dataclasses.MISSING else f.default
        out.append(OptionSpec(f.name, prefix + (f.metadata["key"] or f.name), default, f.metadata["doc"],
                              hints[f.name]))
    return out


def read_options(raw: Mapping[str, Any], groups: Mapping[str, type], where: str = "") -> tuple[dict, list[str]]:
    """Each options dataclass of ``groups`` (prefix -> class, read in that order) from ``raw``.

    Returns the instances by prefix (defaults where something was wrong) and
    every problem as ``<where><key>: what — fix``, unknown keys included.
    """
    problems: list[str] = []
    known = {spec.key: (prefix, spec) for prefix, cls in groups.items() for spec in specs(cls, prefix)}
    for key in raw:
        if key not in known:
            hint = did_you_mean(str(key), known) or f"the options are listed in the README ({', '.join(known)})"
            problems.append(f"{where}{key}: unknown option — {hint}")
    done: dict[str, Any] = {}
    for prefix, cls in groups.items():
        values = {}
        for spec in specs(cls, prefix):
            if spec.key not in raw:
                continue
            field = next(f for f in dataclasses.fields(cls) if f.name == spec.name)
            converted, found = _convert(raw[spec.key], spec, field.metadata, done)
            # A problem inside a list or mapping names its place: "taxonomies[0].kind: …".
            problems += [f"{where}{spec.key}{'' if p.startswith(('[', '.')) else ': '}{p}" for p in found]
            if not found:
                values[spec.name] = converted
        done[prefix] = cls(**values)
    return done, problems


def _convert(value: Any, spec: OptionSpec, meta: Mapping, done: dict) -> tuple[Any, list[str]]:
    if meta["check"] is not None:
        return meta["check"](value, done)
    if value is None and _optional(spec.kind):
        return None, []
    kind = _strip_optional(spec.kind)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    choices = tuple(meta["choices"](done) if callable(meta["choices"]) else meta["choices"])
    if kind is bool:
        return (value, []) if isinstance(value, bool) else (None, [f"{value!r} is not true or false"])
    if kind in (int, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
            return None, [f"{value!r} is not {'a whole number' if kind is int else 'a number'} — e.g. {spec.default!r}"]
        if meta["at_least"] is not None and value < meta["at_least"]:
            return None, [f"{value!r} is below {meta['at_least']:g} — e.g. {spec.default!r}"]
        if meta["at_most"] is not None and value > meta["at_most"]:
            return None, [f"{value!r} is above {meta['at_most']:g} — e.g. {spec.default!r}"]
        return kind(value), []
    if kind is str:
        return (value, []) if isinstance(value, str) else (None, [f"{value!r} is not a text"])
    if origin is tuple:  # a list of choices
        if not isinstance(value, (list, tuple)):
            return None, [f"{value!r} is not a list — write e.g. {list(spec.default)!r}"]
        problems = [_not_a_choice(item, choices) for item in value if choices and item not in choices]
        return tuple(value), problems
    if origin in (dict, Mapping) or kind is dict:  # names -> numbers
        if not isinstance(value, dict):
            return None, [f"{value!r} is not a mapping — write e.g. 'name: 1.0' lines under it"]
        problems = [_not_a_choice(k, choices) for k in value if choices and k not in choices]
        for k, number in value.items():
            if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
                problems.append(f"{k}: {number!r} is not a number >= 0 — write e.g. '{k}: 1.0'")
        return ({} if problems else {k: float(v) for k, v in value.items()}), problems
    raise TypeError(f"option {spec.key}: no reader for {kind!r}")  # a programming error, not a user's


def _not_a_choice(value: Any, choices: tuple[str, ...]) -> str:
    hint = did_you_mean(str(value), choices)
    return f"{value!r} is not one of {', '.join(map(repr, choices))}" + (f" — {hint}" if hint else "")


def _optional(kind: Any) -> bool:
    return type(None) in typing.get_args(kind)


def _strip_optional(kind: Any) -> Any:
    args = [a for a in typing.get_args(kind) if a is not type(None)]
    if _optional(kind) and len(args) == 1:
        return args[0]
    return kind
