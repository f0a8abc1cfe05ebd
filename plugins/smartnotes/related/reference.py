""""Have you read?", the rule written plainly: what ``index.RelatedIndex`` computes fast.

This module is the specification.  It compares every publication with every
other one (O(N²): fine for tests, far too slow for a site of 10,000), in
plain Python, with no sparse matrices, masks, blocks, threads or helper
process.  ``tests/test_related_reference.py`` checks that the fast index
returns the same lists, in the same order, with the same scores.

Options (``RelatedOptions``; in ``mkdocs.yml`` each is ``related_<name>``)
--------------------------------------------------------------------------

========== ======= ==========================================================
option     default meaning
========== ======= ==========================================================
count      3       entries per list, curated ones included
min_score  0.2     a suggestion needs at least this many points
newer      true    may suggest a publication newer than the one shown
weights    below   points of each kind of shared signal, and of the words
max_share  0.2     a word carried by more of the site counts nothing, and so
                   does a signal if more than count + 1 publications carry it
========== ======= ==========================================================

Who is compared
---------------
The *candidates* are the published publications (not drafts, not dated after
``now``).  Every shown publication gets a list (by default the candidates;
``mkdocs serve`` also shows drafts, which get a list but are never
suggested).  N is the number of candidates; *df* ("document frequency") of
a signal or word is how many candidates carry it.

What counts: signals
--------------------
A publication's signals are its tags, countries, organisations, authors and
its collection (``index.signal_keys``).  Every signal the shown publication
and a candidate both carry adds ``weights[kind] × rarity(df)`` points:

==================== =======
kind                 weight
==================== =======
tag                  1.0
organization         1.0
country              0.5
author               0.5
collection           0.25
text (the words)     1.5
==================== =======

Rarity
------
``rarity(df)`` is

* 1 for a signal that at most two candidates carry;
* ``log(N / df) / log(N / 2)`` above that: it falls from 1 towards 0 as
  more of the site carries the signal;
* 0 for a signal that is *too common*: carried by more than
  ``max(max_share × N, count + 1, 2)`` candidates (Hugo's
  ``cardinalityThreshold``: a tag on most notes relates nothing);
* 0 for a signal that fewer than two candidates carry (it cannot relate two).

Why ``count + 1``: on a young site ``max_share`` of it is a publication or
two (a fifth of five is one), so a signal would count nothing as soon as a
third publication carries it: a new note would not find the two that share
its organisation.  A group of ``count + 1`` publications fits in each
other's lists, so a signal on so few cannot make everything related,
whatever share of the site they are; rarity still weighs it.  From
``(count + 1) / max_share`` publications on (20 with the defaults) the share
alone decides.  Words have no such floor (see below).

A signal worth less than ``NEGLIGIBLE`` (0.05) points counts nothing.

What counts: words
------------------
A publication's words are ``words.words_of``: its title (twice), summary and
the first ``words.TEXT_CHARS`` characters of its body, case-folded; words of
three or more letters, function words left out.  Only *feature words* count:
alphabetic, and carried by at least two and at most ``max(max_share × N, 2)``
candidates (no ``count + 1`` floor: a text vector is scaled to length 1, so
a word that most of a small site uses would not be weak in a short text, and
boilerplate would relate everything).  Each feature word of a publication
has the strength ``log(N / df) × (1 + log(tf))`` (tf: how often it occurs
there; TF-IDF with sublinear tf).  A publication keeps its ``TERMS_KEPT``
(20) strongest feature words (equally strong ones in order of first
appearance) as a vector scaled to length 1.  Two publications' words add
``weights["text"] × cosine`` points: the dot product of their vectors.

The score and who is suggested
------------------------------
The score is the sum of the signal points and the word points, rounded to 9
decimals (so that float noise never decides a tie).  A candidate is
suggested if its score is at least ``min_score`` and above 0, it is not the
publication itself, not one of its curated entries, and, with
``newer: false``, not dated after it.  A publication that has nothing
related gets fewer entries, never "the latest posts".

Order and ties
--------------
Highest score first; equal scores: the newer publication first, then the
title (case-folded), then the path.

Curated first
-------------
A publication's own ``related:`` entries come first, in the order written
(``links.resolve_curated``; bad ones are left out and reported), and all of
them are shown.  Suggestions then fill the list up to ``count`` entries in
all, skipping what is already curated.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime
from typing import Iterable

from ..content.model import Publication
from .index import NEGLIGIBLE, TERMS_KEPT, RelatedOptions, signal_keys
from .links import PublicationLookup, RelatedEntry, resolve_curated
from .words import words_of


class Reference:
    """The candidates of one build, and the score of any publication against each of them."""

    def __init__(self, candidates: Iterable[Publication], options: RelatedOptions = RelatedOptions()):
        self.options = options
        self.candidates = sorted(candidates, key=lambda p: p.source_path)
        self.n = len(self.candidates)
        self.signal_df = Counter(key for p in self.candidates for key in set(signal_keys(p)))
        self.word_df = Counter(word for p in self.candidates for word in words_of(p))  # distinct words
        self._vectors: dict[str, dict[str, float]] = {}  # path -> word_vector, computed once

    def over_share(self, df: int) -> bool:
        """Carried by more than ``max_share`` of the site (and by more than two)."""
        return df > max(self.options.max_share * self.n, 2)

    def signal_too_common(self, df: int) -> bool:
        """Over the share, unless ``count + 1`` or fewer carry it (they fit in each other's lists)."""
        return self.over_share(df) and df > self.options.count + 1

    def rarity(self, df: int) -> float:
        """Of a signal that ``df`` candidates carry (see "Rarity" above)."""
        if df < 2 or self.signal_too_common(df):
            return 0.0
        if df <= 2:
            return 1.0
        return math.log(self.n / df) / math.log(self.n / 2)

    def signal_points(self, key: tuple[str, str]) -> float:
        kind = key[0]
        points = self.options.weight(kind) * self.rarity(self.signal_df[key])
        return points if points >= NEGLIGIBLE else 0.0

    def word_vector(self, publication: Publication) -> dict[str, float]:
        """Its ``TERMS_KEPT`` strongest feature words, as a TF-IDF vector of length 1."""
        strength = {}
        for word, tf in words_of(publication).items():  # in order of first appearance
            df = self.word_df[word]
            if word.isalpha() and 2 <= df and not self.over_share(df):  # a feature word
                strength[word] = math.log(self.n / df) * (1 + math.log(tf))
        kept = sorted(strength, key=lambda w: -strength[w])[:TERMS_KEPT]  # stable: ties keep their order
        length = math.sqrt(sum(strength[w] ** 2 for w in kept))
        return {w: strength[w] / length if length else 0.0 for w in kept}

    def _vector(self, publication: Publication) -> dict[str, float]:
        """``word_vector``, kept: only to spare the tests the time."""
        if publication.source_path not in self._vectors:
            self._vectors[publication.source_path] = self.word_vector(publication)
        return self._vectors[publication.source_path]

    def score(self, shown: Publication, candidate: Publication) -> float:
        shared = set(signal_keys(shown)) & set(signal_keys(candidate))
        signals = sum(self.signal_points(key) for key in shared)
        mine, theirs = self._vector(shown), self._vector(candidate)
        cosine = sum(mine[w] * theirs[w] for w in mine.keys() & theirs.keys())
        return round(signals + self.options.weight("text") * cosine, 9)

    def suggest(self, shown: Publication, limit: int,
                exclude: set[str] = frozenset()) -> list[tuple[Publication, float]]:
        """Up to ``limit`` candidates for ``shown``, best first, none of them in ``exclude`` (paths)."""
        found = []
        for candidate in self.candidates:
            if candidate.source_path == shown.source_path or candidate.source_path in exclude:
                continue
            if not self.options.newer and candidate.date > shown.date:
                continue
            score = self.score(shown, candidate)
            if score >= round(self.options.min_score, 9) and score > 0:
                found.append((candidate, score))
        found.sort(key=lambda c: (-c[1], -c[0].date.timestamp(), c[0].title.casefold(), c[0].source_path))
        return found[:limit]


def related_lists(publications: Iterable[Publication], now: datetime, options: RelatedOptions = RelatedOptions(),
                  shown: Iterable[Publication] | None = None) -> dict[str, tuple[RelatedEntry, ...]]:
    """Every shown publication's "Have you read?": URL -> curated entries, then suggestions
    (``links.build_related(...).lists``, computed the slow, plain way)."""
    publications = list(publications)
    candidates = [p for p in publications if p.is_visible(now)]
    shown = candidates if shown is None else list(shown)
    reference = Reference(candidates, options)
    lookup = PublicationLookup(publications)
    lists = {}
    for publication in sorted(shown, key=lambda p: p.source_path):
        curated, _ = resolve_curated(publication, lookup, now)
        limit = max(0, options.count - len(curated))
        exclude = {entry.source_path for entry in curated if not entry.external}
        suggested = reference.suggest(publication, limit, exclude)
        lists[publication.url] = tuple(curated) + tuple(RelatedEntry.of(p, score=s) for p, s in suggested)
    return lists
