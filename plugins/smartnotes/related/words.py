"""The words of a publication, as the "Have you read?" index reads them.

Only the lead of the body is read (``TEXT_CHARS``), and ``count_words``
reads every publication in one pass into flat arrays: building one small
array per publication cost more than the counting itself.  Splitting and
counting is ``related_count.py`` (standard library only), so that from
``HELPER_FROM`` publications a second interpreter can count a share of them
on a second CPU.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import partial
from itertools import count

import numpy as np

from . import count as related_count
from ..content.model import Publication
from .count import count_texts, tokens_of
from ..content.text import markdown_words
from ..runtime.workers import HelperProcess, Pending, usable_cpus

TEXT_CHARS = 1600  # of the body: its lead (~250 words) says what it is about, and bounds the cost
# Function words: rarity weighting would make most of them ~0 anyway, but a
# small corpus has too few publications to learn that.
STOP_WORDS = frozenset("""
about above after again against all also although among and another any are around because been
before being below between both but can could did does doing down during each either else even ever
every few for from further had has have having her here hers herself him himself his how however
into its itself just last least less let like made make many may might more most much must near
neither nor not now off often once one only other others our ours ourselves out over own per
quite rather really same several shall she should since some such than that the their theirs them
themselves then there these they this those though through thus too toward towards under until upon
very via was way well were what whatever when where whether which while who whom whose why will
with within without would yet you your yours yourself yourselves also new use used using
""".split())
HELPER_FROM = 4000  # publications from which a second process counts part of them (on 2+ CPUs)
HELPER_SHARE = 0.45  # the share it counts: the last publications (it starts a little later)


def text_of(publication: Publication) -> str:
    """The title (twice: it says what the piece is about), summary and body's lead, case-folded."""
    return _text_of(publication).casefold()


def _text_of(publication: Publication) -> str:
    body = markdown_words(publication.body[:TEXT_CHARS])
    return f"{publication.title}\n{publication.title}\n{publication.summary}\n{body}"


def is_word(token: str) -> bool:
    """A token that may become a feature: as long as ``related_count._WORD`` asks, and not a function word."""
    return len(token) >= 3 and token not in STOP_WORDS


def words_of(publication: Publication) -> Counter:
    """Word counts of the publication's ``text_of``, in order of first appearance."""
    counts = Counter(tokens_of(text_of(publication)))
    for token in [t for t in counts if not is_word(t)]:
        del counts[token]
    return counts


WordCounts = tuple[defaultdict[str, int], np.ndarray, np.ndarray, np.ndarray]


def count_words(publications: list[Publication]) -> WordCounts:
    """The vocabulary (word -> id, ids in order of first appearance) and flat arrays row,
    word id, count: one entry per distinct word of each publication, rows in order, a
    row's words in order of first appearance.

    From ``HELPER_FROM`` publications on a machine with two CPUs, a second
    process counts the last ``HELPER_SHARE`` of them meanwhile
    (a :class:`~smartnotes.runtime.workers.HelperProcess`); merged in order, the arrays are the same.
    """
    return Counting(publications).finish()


class Counting:
    """``count_words`` under way: a helper process may be counting the last
    publications while :meth:`finish` counts the rest here and merges; the
    caller may work in between, or give up with :meth:`stop`."""

    def __init__(self, publications: list[Publication]):
        self.n = self.split = len(publications)
        self.publications = publications
        if self.n >= HELPER_FROM and usable_cpus() > 1:
            self.split = self.n - int(self.n * HELPER_SHARE)
        later = list(map(_text_of, publications[self.split:]))
        self.later: Pending[related_count.Counts] | None = (
            HelperProcess(related_count.__file__, later, partial(count_texts, later)) if later else None)

    def finish(self) -> WordCounts:
        try:
            parts = [count_texts(map(_text_of, self.publications[:self.split]))]
        except BaseException:
            self.stop()
            raise
        if self.later is not None:
            parts.append(self.later.result())
        return _merged(parts, self.n)

    def stop(self) -> None:
        if self.later is not None:
            self.later.stop()


def _merged(parts: list[related_count.Counts], n: int) -> WordCounts:
    """Parts counted in order (each with its own vocabulary) as one: ids in order of first appearance."""
    vocabulary: defaultdict[str, int] = defaultdict(count().__next__)
    ids, tfs, lengths = [], [], []
    for words, part_ids, part_tfs, part_lengths in parts:
        global_id = np.fromiter(map(vocabulary.__getitem__, words), np.int64, len(words))
        ids.append(global_id[np.frombuffer(part_ids, np.int64)] if len(part_ids) else np.zeros(0, np.int64))
        tfs.append(np.frombuffer(part_tfs, np.float32))
        lengths.append(np.frombuffer(part_lengths, np.int64))
    rows_a = np.repeat(np.arange(n), np.concatenate(lengths))
    ids_a, tfs_a = np.concatenate(ids), np.concatenate(tfs)
    tokens = list(vocabulary)  # by id
    # Short tokens and function words have ids too (cheaper than skipping them one by one).
    wanted = np.fromiter(map(is_word, tokens), bool, len(tokens))
    keep = wanted[ids_a]
    return vocabulary, rows_a[keep], ids_a[keep], tfs_a[keep]
