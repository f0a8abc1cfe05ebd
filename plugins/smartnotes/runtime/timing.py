"""Per-stage wall-clock timings of a build, for ``bench/`` (issue 7).

Stages nest freely; each name accumulates. Written as JSON when the build
runs with ``SMARTNOTES_TIMINGS=<path>`` so benchmarks can point a regression
at its stage.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter


class StageTimer:
    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self._first_mark: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str):
        start = perf_counter()
        try:
            yield
        finally:
            self.totals[name] = self.totals.get(name, 0.0) + perf_counter() - start

    def mark(self, name: str) -> None:
        """Extend the span ``name`` to now: its total is the last mark minus the first.

        For phases that no single call encloses, such as MkDocs rendering every
        page between the first ``on_pre_page`` and the last ``on_post_page``.
        """
        now = perf_counter()
        self.totals[name] = now - self._first_mark.setdefault(name, now)

    def write(self, path: str | Path) -> None:
        totals = dict(self.totals)  # (a page rendered on another thread may mark meanwhile: the preview's)
        Path(path).write_text(json.dumps(totals, indent=2, sort_keys=True), encoding="utf-8")
