"""Build the site beside the last good one, and put it in place only when it succeeded.

MkDocs empties ``site/`` before it builds, so a content error (or Ctrl-C)
used to leave no site at all. A :class:`StagedSite` gives the build a fresh
folder beside ``site/`` (``.site.smartnotes-build``); once the build has
succeeded the two are swapped with renames on the same file system, and the
old site is deleted; a failed or interrupted build leaves ``site/`` exactly
as it was and deletes its own folder (issue 13).

``build --dirty`` is not staged: it renders into the site folder what changed
since the last ``build --dirty`` and what shows it, as ``serve --dirty`` does
(``mkdocs_adapter/plugin.py``, ``preview/``); a failed one leaves no state
behind, so the next is a full build.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


class StagedSite:
    def __init__(self, site_dir: Path):
        self.site_dir = Path(site_dir)
        parent, name = self.site_dir.parent, self.site_dir.name
        self.building = parent / f".{name}.smartnotes-build"
        self._previous = parent / f".{name}.smartnotes-previous"
        self._swapped = False
        parent.mkdir(parents=True, exist_ok=True)
        # What an interrupted build of an older run may have left.
        for leftover in (self.building, self._previous):
            shutil.rmtree(leftover, ignore_errors=True)
        self.building.mkdir()

    def publish(self) -> None:
        """The build succeeded: its folder becomes ``site/``; the old site is kept until :meth:`finish`."""
        if self.site_dir.exists():
            os.replace(self.site_dir, self._previous)
        os.replace(self.building, self.site_dir)
        self._swapped = True

    def restore(self) -> None:
        """The build failed after :meth:`publish` (``--strict`` counts warnings last): the old site returns."""
        if self._swapped:
            shutil.rmtree(self.site_dir, ignore_errors=True)
            if self._previous.exists():
                os.replace(self._previous, self.site_dir)
            self._swapped = False

    def finish(self) -> None:
        """Delete what is not ``site/``: the old site, or a failed build's folder."""
        shutil.rmtree(self._previous, ignore_errors=True)
        shutil.rmtree(self.building, ignore_errors=True)
