"""Every address has one owner: collisions are found before anything is written.

Publications, the files beside them, the pages and files a person keeps in
``docs_dir``, the theme's files, the generated listings and every feature's
outputs (feeds, embeds, the search index) each *claim* the paths they will
write. Two claims on one path, or a file inside a folder a feature owns,
are a problem that names the file to change and how (issue 13, §3).
Without this, the last writer silently won: ``slug: "2012"`` replaced the
year archive, a page in ``content/notes/`` replaced a publication, and a
hand-kept ``notes/feed.xml`` stopped the build after every page was written.

One exception is by design: a page a person writes at the address of a
generated listing replaces it (``yields``; README, "Collections").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from ..content.problems import Problem


@dataclass(frozen=True)
class Claim:
    path: str  # site-relative file ("notes/x/index.html"), or a folder ending in "/" owned whole
    owner: str  # what it is, for the message: "the year archive of Smart Notes"
    source: str = ""  # the file a person can change to resolve it ("" for generated outputs)
    line: int = 1
    field: str = ""
    fix: str = ""  # what that person can do
    yields: bool = False  # a generated page that a person's page at its address replaces
    by_person: bool = False  # a page or file a person wrote


def written_by_person(path: str, source: str) -> Claim:
    """A page or file in docs_dir (``source``, as the person sees it) that the engine writes at ``path``:
    the build (from MkDocs's files) and ``smartnotes check`` (from docs_dir) say it alike."""
    return Claim(path, f"{source} (a file you wrote)", source=source, fix="rename or move it", by_person=True)


def collisions(claims: Iterable[Claim]) -> list[Problem]:
    """A problem for each path claimed twice (each told from the side a person can change)."""
    by_path: dict[str, list[Claim]] = {}
    folders: list[Claim] = []
    for claim in claims:
        (folders if claim.path.endswith("/") else by_path.setdefault(claim.path, [])).append(claim)
    problems: list[Problem] = []
    for path, same in sorted(by_path.items()):
        if len(same) > 1 and not (len(same) == 2 and any(c.yields for c in same) and any(c.by_person for c in same)):
            problems += _told(path, same)
    for folder in folders:
        inside = [c for path, same in by_path.items() if path.startswith(folder.path) for c in same]
        for claim in inside:
            problems += _told(claim.path, [claim, folder])
    return sorted(set(problems))


def _told(path: str, claims: list[Claim]) -> list[Problem]:
    """The problem at each claim a person can change; at the first claim if none can be."""
    address = "/" + path.removesuffix("index.html")
    changeable = [c for c in claims if c.source] or claims[:1]
    problems = []
    for claim in changeable:
        others = " and ".join(c.owner for c in claims if c is not claim)
        problems.append(Problem(
            claim.source or claim.owner, claim.line, claim.field,
            f"{claim.owner} would be written at {address}, which is also {others}",
            claim.fix or "give one of them another address",
        ))
    return problems
