""""Have you read?": curated picks first, then an automatic fill that is related.

Every publication becomes one sparse vector of *features*: its signals (tags,
countries, organisations, authors, collection) and the strongest words of its
title, summary and body.  The score of a candidate is the dot product of two
vectors, i.e. the sum over shared features of

* a signal: ``weight[kind] * rarity``, where rarity is 1 for a signal two
  publications share and ``log(N/df) / log(N/2)`` for more, and exactly 0
  for a signal *too common*: carried by more than ``max_share`` of the
  publications, as Hugo's ``cardinalityThreshold`` does (gohugoio/hugo
  #10744: "client protection" on every note must not make everything
  related), and by more than ``count + 1`` (``signal_limit``);
* words: ``weight["text"] * cosine`` of TF-IDF vectors (sublinear tf, idf
  ``log(N/df)``, 0 above ``max_share``: ``word_limit``), so untagged
  publications still find neighbours.

The ``count + 1`` floor is for young sites: at five publications a fifth is
one, so without it a signal would count nothing as soon as a third
publication carries it (issue 16).  A group of at most ``count + 1`` fits in
each other's lists, so it cannot make everything related, whatever share of
the site it is; its rarity still weighs it.  Words keep the share alone: a
text vector is scaled to length 1, so a word most of a small site uses is
not weak in a short text (boilerplate would relate everything), while a
signal's points are its rarity.  From ``(count + 1) / max_share``
publications (20 by default) the floor is below the share: nothing changes.

Suggestions below ``min_score`` are dropped: a publication with nothing
related gets fewer entries, never "the latest posts".  Ties: score, then
date (newer first), then title, then path.

Complexity (N publications, K = ``TERMS_KEPT`` words and s signals kept per
publication, C = ``NOMINATE_LIMIT``, B = ``BLOCK``).  Reading the texts is
O(N) (at most ``related_words.TEXT_CHARS`` of each body, all publications
into flat arrays at once; from ``related_words.HELPER_FROM`` publications a
second process reads a share meanwhile).  The index is one sparse N x F
matrix with at most K + s entries a row: O(N·(K+s)) memory.  Candidates come
from an inverted index (the transposed matrix, as Hugo's
``related/inverted_index.go``) restricted to *rare* features, carried by at
most C publications: each publication meets at most (K+s)·C others, so all
lists cost O(N·(K+s)·C) time, linear in N.  Common features (more than C
publications, hence low rarity) only add their points to the candidates
found; a publication whose list they alone could still change is redone
against every feature (exact; O(N·(K+s)) for that one).  Rows go through the
product B at a time (``WORKERS`` blocks at once, on threads), so memory is
O(N·(K+s) + B·N), never N².  Each block's lists are chosen at once:
``best_cut`` passes over its candidates at most once plus n + x times over
those that can still be chosen (n entries wanted, x curated ones to skip),
then only the few finalists are sorted, so choosing adds O(N·(K+s)·C·(n+x))
at most.
``bench/bench_related.py`` measures time and peak memory at 1,000 to 10,000.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import chain, repeat
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

import numpy as np
from scipy import sparse

from ..content.model import Publication
from ..content.options import option
from ..content.taxonomies import BUILT_IN, Taxonomies
from ..runtime.workers import collector_paused, in_threads, usable_cpus
from .words import Counting, count_words, words_of

# Points for sharing one rare feature of each kind. A taxonomy's weight is in
# the registry (content/taxonomies.py); these are the two kinds that are not taxonomies.
OTHER_WEIGHTS: Mapping[str, float] = {"collection": 0.25, "text": 1.5}
DEFAULT_WEIGHTS: Mapping[str, float] = {t.kind: t.related_weight for t in BUILT_IN} | OTHER_WEIGHTS
TERMS_KEPT = 20  # strongest words kept per publication (K; Lucene's MoreLikeThis keeps 25)
NEGLIGIBLE = 0.05  # points below which a shared signal is ignored
NOMINATE_LIMIT = 200  # features carried by more publications only add to candidates found
BLOCK = 512  # rows multiplied at once: bounds the memory of the product to BLOCK x N
WORKERS = min(2, usable_cpus())  # threads
def weight_kinds(done: dict) -> tuple[str, ...]:
    """The kinds ``related_weights`` accepts: the site's taxonomies, the collection and the text."""
    taxonomies = done[""].taxonomies if "" in done else Taxonomies()
    return (*taxonomies.kinds, *OTHER_WEIGHTS)


@dataclass(frozen=True)
class RelatedOptions:
    """The ``related_*`` options."""

    count: int = option(3, 'Entries under "Have you read?": curated ones first, suggestions fill the rest.',
                        at_least=0)
    min_score: float = option(0.2, "Points a suggestion needs; below it a publication gets fewer entries, not noise.",
                              at_least=0)
    newer: bool = option(True, "Suggest publications newer than the one shown (old notes get new neighbours).")
    weights: Mapping[str, float] = option(
        {}, "Points per shared signal, over the defaults: a taxonomy's kind (tag, country, organization, author…), "
        "collection, text.", choices=weight_kinds)
    max_share: float = option(0.2, "A signal or word carried by more than this share of publications counts nothing "
                              "(a signal carried by related_count + 1 or fewer always counts).",
                              check=lambda value, done: _share(value))
    backlinks: bool = option(True, 'Show "Referenced in": the publications that list this one in their `related:`.')
    default_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def weight(self, kind: str) -> float:
        return float(self.weights.get(kind, self.default_weights.get(kind, 0.0)))


def _share(value) -> tuple[float, list[str]]:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        return 0.2, [f"{value!r} is not in (0, 1] — e.g. 0.5 ignores half-site signals"]
    return float(value), []


def default_weights(taxonomies: Taxonomies) -> dict[str, float]:
    """Each kind's points before ``related_weights``: the registry's, then collection and text."""
    return {t.kind: t.related_weight for t in taxonomies} | dict(OTHER_WEIGHTS)


def word_limit(n: int, options: RelatedOptions) -> float:
    """How many of the ``n`` publications may use a word before it counts nothing:
    ``max_share`` of them, but never fewer than 2 (two that share it)."""
    return max(options.max_share * n, 2)


def signal_limit(n: int, options: RelatedOptions) -> float:
    """How many of the ``n`` publications may carry a signal before it counts nothing: as many as
    may use a word, but never fewer than ``count + 1`` (so few fit in each other's lists)."""
    return max(word_limit(n, options), options.count + 1)


def signals_of(publication: Publication) -> list[tuple[str, str, str]]:
    """(kind, key, display name) of each signal, in a stable order."""
    out = [(t.kind, t.slug, t.name) for t in publication.terms]
    out += [("author", a.id, a.name) for a in publication.authors]
    out.append(("collection", publication.collection.key, publication.collection.title))
    return out


def by_path(publication: Publication) -> str:
    """The index's order of publications."""
    return publication.source_path


def signal_keys(publication: Publication) -> list[tuple[str, str]]:
    """(kind, key) of each signal, in the order of ``signals_of``."""
    return [(kind, key) for kind, key, _ in signals_of(publication)]


def _row_spans(row_a: np.ndarray, n_rows: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each row starts in the ascending ``row_a``, and how many entries it has."""
    starts = np.searchsorted(row_a, np.arange(n_rows))
    return starts, np.searchsorted(row_a, np.arange(n_rows), side="right") - starts


def _run_starts(starts: np.ndarray, size: np.ndarray, rows: np.ndarray,
                runs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row of ``rows`` cut into ``runs`` (per row) runs of near-equal length: where every
    run starts (for ``reduceat``), and the position of each row's first run among them."""
    run_row = np.repeat(rows, runs)
    first_run = np.cumsum(runs) - runs
    j = np.arange(len(run_row)) - np.repeat(first_run, runs)
    return starts[run_row] + j * size[run_row] // np.repeat(runs, runs), first_run


def strongest_first(row_a: np.ndarray, key: np.ndarray, n_rows: int) -> np.ndarray:
    """Positions that a stable ``argsort(key)`` puts among the first ``TERMS_KEPT`` of their row, and maybe
    more, in that sort's order (``row_a`` ascending, ``key`` ordering rows first).

    Each row longer than ``TERMS_KEPT`` is split into ``TERMS_KEPT`` runs: the
    largest of their minima is ``TERMS_KEPT`` keys, so the ones above it are
    never among the first; only the others are sorted (the same relative order).
    """
    starts, size = _row_spans(row_a, n_rows)
    nonempty = np.flatnonzero(size)
    if not len(nonempty) or size.max() <= TERMS_KEPT:
        return np.argsort(key, kind="stable")
    runs = np.where(size[nonempty] > TERMS_KEPT, TERMS_KEPT, 1)  # one run: a short row is kept whole
    run_starts, first_run = _run_starts(starts, size, nonempty, runs)
    run_min = np.minimum.reduceat(key, run_starts)
    ceiling = np.full(n_rows, np.inf)
    long = runs > 1
    ceiling[nonempty[long]] = np.maximum.reduceat(run_min, first_run)[long]
    maybe = np.flatnonzero(key <= ceiling[row_a])
    return maybe[np.argsort(key[maybe], kind="stable")]


def best_cut(row_a: np.ndarray, value: np.ndarray, wanted: np.ndarray, n_rows: int) -> np.ndarray:
    """Per row r, the ``wanted[r]``-th largest of its values (-inf if it has no more, +inf if 0 are wanted).

    ``row_a`` is ascending.  One pass first splits each row into ``wanted[r]``
    runs: the smallest of their maxima is ``wanted[r]`` values, so the answer
    is no lower, and only the values at or above it go on (they decide the
    answer alone).  Each round then takes every row's largest remaining value
    with all its ties, so it takes at most ``max(wanted)`` rounds over those,
    instead of a sort or a Python loop per row.
    """
    cut = np.where(wanted > 0, -np.inf, np.inf)
    need = np.maximum(wanted, 0)
    starts, size = _row_spans(row_a, n_rows)
    nonempty = np.flatnonzero(size)
    if len(value) and need.max(initial=0) > 1:
        runs = np.clip(need[nonempty], 1, size[nonempty])  # each row's runs cover it, none empty
        run_starts, first_run = _run_starts(starts, size, nonempty, runs)
        run_max = np.maximum.reduceat(value, run_starts)
        floor = np.full(n_rows, -np.inf)
        enough = need[nonempty] <= size[nonempty]
        floor[nonempty[enough]] = np.minimum.reduceat(run_max, first_run)[enough]
        keep = np.flatnonzero(value >= floor[row_a])
        if len(keep) < len(value):
            row_a, value = row_a[keep], value[keep]
            starts, size = _row_spans(row_a, n_rows)
            nonempty = np.flatnonzero(size)
    left = value.astype(float)  # a copy: values taken become -inf
    for _ in range(int(need.max(initial=0))):
        top = np.full(n_rows, -np.inf)
        top[nonempty] = np.maximum.reduceat(left, starts[nonempty])
        taken = (left == top[row_a]) & (need[row_a] > 0) & (left > -np.inf)
        taken_here = np.bincount(row_a[taken], minlength=n_rows)
        done = (need > 0) & (taken_here >= need)
        cut[done] = top[done]
        need = np.where(done, 0, need - taken_here)
        left[taken] = -np.inf
    return cut


class Suggestion(NamedTuple):
    publication: Publication
    score: float


_new_suggestion = partial(tuple.__new__, Suggestion)  # Suggestion((publication, score)) without Python's __new__


@dataclass(frozen=True)
class Explanation:
    score: float
    signals: tuple[tuple[str, str, float], ...]  # (kind, name, points), strongest first
    words: tuple[tuple[str, float], ...]  # (word, points), strongest first
    text_score: float


class RelatedIndex:
    """Sparse feature vectors (one row per candidate publication) and their dot products."""

    def __init__(self, candidates: Iterable[Publication], options: RelatedOptions = RelatedOptions(),
                 counted: Counting | None = None):
        """``counted``: ``Counting(sorted(candidates, key=by_path))``, started earlier by the
        caller to overlap other work; by default the words are counted here."""
        with collector_paused():
            self._build(candidates, options, counted)

    def _build(self, candidates: Iterable[Publication], options: RelatedOptions,
               counted: Counting | None) -> None:
        self.options = options
        # Canonical order: the same content gives the same floats in any input order.
        self.docs: list[Publication] = sorted(candidates, key=by_path)
        self.position = {p.source_path: i for i, p in enumerate(self.docs)}
        n = self.size = len(self.docs)
        # What does not need the words first (a helper process may still be counting them).
        signals = [signal_keys(p) for p in self.docs]
        signal_df = Counter(chain.from_iterable(map(set, signals)))
        # A feature two publications share can relate them; a too common one counts nothing.
        limit = signal_limit(n, options)
        # A signal worth under NEGLIGIBLE points is left out: it could not matter, and
        # pairs that share only such a signal are most of the work.
        keys = sorted(k for k, df in signal_df.items()
                      if 2 <= df <= limit and options.weight(k[0]) * self.rarity(df) >= NEGLIGIBLE)
        self.stamps = np.array([p.date.timestamp() for p in self.docs], dtype=float)
        titles = [(p.title.casefold(), p.source_path) for p in self.docs]
        by_title = sorted(range(n), key=titles.__getitem__)
        self.title_rank = np.empty(n, dtype=np.int64)
        self.title_rank[by_title] = np.arange(n)
        self._vocab, rows, ids, tfs = counted.finish() if counted is not None else count_words(self.docs)
        vocabulary = list(self._vocab)  # by id
        word_df = np.bincount(ids, minlength=len(vocabulary))
        words = sorted(vocabulary[i] for i in np.flatnonzero((word_df >= 2) & (word_df <= word_limit(n, options)))
                       if vocabulary[i].isalpha())
        self.features: list[object] = [*keys, *words]  # column -> ("tag", slug) or a word
        self._signal_col = {k: i for i, k in enumerate(keys)}
        self._word_col = np.full(len(vocabulary) + 1, -1, dtype=np.int64)  # vocabulary id -> column
        word_ids = np.fromiter(map(self._vocab.__getitem__, words), np.int64, len(words))
        self._word_col[word_ids] = np.arange(len(keys), len(keys) + len(words))
        self._value = np.zeros(len(self.features))
        self._value[: len(keys)] = [math.sqrt(options.weight(k[0]) * self.rarity(signal_df[k])) for k in keys]
        self._value[len(keys):] = list(map(math.log, (n / word_df[word_ids]).tolist()))  # n / df: as Python divides
        self.matrix = self._rows(signals, rows, ids, tfs)
        by_column = self.matrix.tocsc()
        self._matrix_t = by_column.T  # CSR, one row per feature
        # Features carried by more than NOMINATE_LIMIT publications ("common") do not nominate.
        df = np.diff(by_column.indptr)
        common = (df > NOMINATE_LIMIT).astype(float)
        self._only_common = sparse.diags(common, format="csr")
        self._only_rare = sparse.diags(1.0 - common, format="csr")
        self._rare_rows = self.matrix @ self._only_rare  # each row's rare features (as a block would compute)
        self._common_rows = self.matrix @ self._only_common
        self._rare_t = self._rare_rows.T.tocsr()
        # Each row's common features alone, as columns 0.. in ascending order, and as 64 bits
        # (bit ``column % 64``): two rows whose bits do not meet share none.
        common_cols = np.flatnonzero(common)
        self._common_rank = np.full(len(common), -1, dtype=np.int64)  # column -> its rank among the common
        self._common_rank[common_cols] = np.arange(len(common_cols))
        self._common = self.matrix[:, common_cols] if len(common_cols) else sparse.csr_matrix((n, 0))
        self._common.sort_indices()
        self._common_bits = self._bits(self._common.indptr, self._common.indices)
        top = self.matrix.max(axis=0).toarray().ravel() if self.matrix.nnz else np.zeros(self.matrix.shape[1])
        self._column_max = top * common

    @cached_property
    def names(self) -> dict[tuple[str, str], str]:
        """(kind, key) -> display name of each signal (for ``explain``)."""
        return {(kind, key): name for p in self.docs for kind, key, name in reversed(signals_of(p))}

    def rarity(self, df: int) -> float:
        """1 for a signal two publications share, log(N/df)/log(N/2) above, 0 when too common."""
        n = self.size
        if df <= 0 or df > signal_limit(n, self.options):
            return 0.0
        return 1.0 if df <= 2 else math.log(n / df) / math.log(n / 2)

    def _rows(self, signals: Sequence[list[tuple[str, str]]], word_rows: np.ndarray, word_ids: np.ndarray,
              tfs: np.ndarray) -> sparse.csr_matrix:
        """One row per publication: sqrt(weight·rarity) per signal, sqrt(text weight)·tf-idf/|tf-idf|
        over its ``TERMS_KEPT`` strongest words, so that a dot product gives points.

        ``word_rows``, ``word_ids`` (vocabulary ids, -1 unknown) and ``tfs`` list each
        distinct word of each row, rows in order, a row's words in order of first appearance
        (equally strong words are kept in that order); ``signals`` the ``signal_keys`` of each row."""
        n = len(signals)
        keys = list(chain.from_iterable(signals))
        signal_cols = np.fromiter(map(self._signal_col.get, keys, repeat(-1)), np.int64, len(keys))
        signal_rows = np.repeat(np.arange(n), np.fromiter(map(len, signals), np.int64, n))
        found = signal_cols >= 0
        signal_rows, signal_cols = signal_rows[found], signal_cols[found]
        word_cols = self._word_col[word_ids]
        found = np.flatnonzero(word_cols >= 0)
        word_rows, word_cols, tf = word_rows[found], word_cols[found], tfs[found].astype(float)
        strength = self._value[word_cols] * (1.0 + np.log(tf))
        # Keep each row's TERMS_KEPT strongest words: one stable sort on row, then strength,
        # of the words that can be kept (``strongest_first``).
        key = word_rows * (2.0 + strength.max(initial=0.0)) - strength
        order = strongest_first(word_rows, key, n)
        sorted_rows = word_rows[order]
        rank = np.arange(len(order)) - np.searchsorted(sorted_rows, np.arange(n))[sorted_rows]
        order = order[rank < TERMS_KEPT]
        word_rows, word_cols, strength = word_rows[order], word_cols[order], strength[order]
        norms = np.sqrt(np.bincount(word_rows, strength ** 2, minlength=n))
        strength *= math.sqrt(self.options.weight("text")) / np.where(norms > 0, norms, 1.0)[word_rows]
        value = np.concatenate([self._value[signal_cols], strength])
        row_a, col_a = np.concatenate([signal_rows, word_rows]), np.concatenate([signal_cols, word_cols])
        return sparse.csr_matrix((value, (row_a, col_a)), shape=(n, len(self.features)))

    def _indexed(self, publication: Publication) -> int:
        doc = self.position.get(publication.source_path, -1)
        return doc if doc >= 0 and self.docs[doc] is publication else -1

    def row_of(self, publication: Publication) -> sparse.csr_matrix:
        """The vector of an indexed publication, or of another one (a draft under ``serve``)."""
        doc = self._indexed(publication)
        if doc >= 0:
            return self.matrix[doc]
        c = words_of(publication)
        word_ids = np.fromiter((self._vocab.get(w, -1) for w in c), np.int64, len(c))  # -1: unknown
        return self._rows([signal_keys(publication)], np.zeros(len(c), np.int64), word_ids,
                          np.fromiter(c.values(), np.float32, len(c)))

    def suggest_all(
        self, publications: Sequence[Publication], limits: Sequence[int], excludes: Sequence[set[str]]
    ) -> list[list[Suggestion]]:
        """For each publication, up to ``limit`` others at or above ``min_score``, best first.

        Never itself nor one in its ``exclude`` (paths); never a newer one unless
        ``options.newer``.  Candidates come from the product with the *rare*
        features (carried by at most ``NOMINATE_LIMIT``); the common ones are
        then added to them.  A row whose list could still change through common
        features alone (its ``bound``) is redone with every feature, so the
        result is exact.  Rows go in blocks of ``BLOCK`` (memory BLOCK x N), ``WORKERS``
        blocks at once.
        """
        return list(self.suggest_each(publications, limits, excludes))

    def suggest_each(
        self, publications: Sequence[Publication], limits: Sequence[int], excludes: Sequence[set[str]]
    ) -> Iterator[list[Suggestion]]:
        """``suggest_all``, one list after the other: a block's lists come as soon as it is done,
        so that the caller's work on them overlaps the next blocks'."""
        starts = range(0, len(publications), BLOCK)

        def block(start: int) -> list[list[Suggestion]]:
            end = start + BLOCK
            return self._suggest_block(publications[start:end], limits[start:end], excludes[start:end])

        # Most of a block's time is NumPy and SciPy, without the GIL.
        for part in in_threads(block, starts, WORKERS):
            yield from part

    def _suggest_block(self, block: Sequence[Publication], limits: Sequence[int],
                       excludes: Sequence[set[str]]) -> list[list[Suggestion]]:
        """``suggest_all`` for at most ``BLOCK`` publications."""
        own = np.array([self._indexed(p) for p in block], dtype=np.int64)
        if (own >= 0).all():
            # Queries usually come in the index's order: a slice copies less than a fancy index.
            at = slice(own[0], own[-1] + 1) if (np.diff(own) == 1).all() else own
            rows, rare_rows, common_rows = self.matrix[at], self._rare_rows[at], self._common_rows[at]
            stamps = self.stamps[own]
        else:  # drafts under `serve` are not candidates: their rows are computed
            rows = sparse.vstack([self.row_of(p) for p in block], format="csr")
            rare_rows, common_rows = rows @ self._only_rare, rows @ self._only_common
            stamps = np.array([p.date.timestamp() for p in block])
        limit = np.array(limits, dtype=np.int64).reshape(-1)
        skip = [[self.position[path] for path in exclude if path in self.position] for exclude in excludes]
        wanted = limit + np.fromiter(map(len, excludes), np.int64, len(block))
        bound = common_rows @ self._column_max  # the most common features can add, per row
        scores = rare_rows @ self._rare_t
        row_a = np.repeat(np.arange(len(block)), np.diff(scores.indptr))
        col_a, value = scores.indices, scores.data
        keep = (value + bound[row_a] >= self.options.min_score - 1e-6) & (col_a != own[row_a])
        row_a, col_a, value = row_a[keep], col_a[keep], value[keep]
        # Common features add to pairs that share some (x + 0.0 is x).
        row_bits = self._bits(common_rows.indptr, self._common_rank[common_rows.indices])
        both = np.flatnonzero(row_bits[row_a] & self._common_bits[col_a])
        if len(both):
            value = value.copy()
            pairs, points = self._common_points(common_rows, row_a[both], col_a[both])
            value[both[pairs]] += points
        row_a, col_a, value = self._eligible(own, stamps, row_a, col_a, value)
        out, exact, cut = self._pick(row_a, col_a, value, limit, wanted, skip, bound)
        redo = np.flatnonzero(~exact)
        if len(redo):
            full = rows[redo] @ self._matrix_t
            row_a = np.repeat(np.arange(len(redo)), np.diff(full.indptr))
            # The candidates found above keep their scores (to float noise): the cut can only rise.
            floor = np.maximum(cut[redo], self.options.min_score) - 1e-6
            row_a, col_a, value = self._eligible(own[redo], stamps[redo], row_a, full.indices, full.data, floor)
            chosen, _, _ = self._pick(row_a, col_a, value, limit[redo], wanted[redo], [skip[i] for i in redo],
                                      np.zeros(len(redo)))
            for i, found in zip(redo.tolist(), chosen):
                out[i] = found
        return out

    @staticmethod
    def _bits(indptr: np.ndarray, ranks: np.ndarray) -> np.ndarray:
        """Per row, the bits ``rank % 64`` of its common features (uint64)."""
        bits = np.zeros(len(indptr) - 1, dtype=np.uint64)
        rows = np.flatnonzero(np.diff(indptr))
        if len(rows):
            bits[rows] = np.bitwise_or.reduceat(np.left_shift(np.uint64(1), (ranks % 64).astype(np.uint64)),
                                                indptr[rows])
        return bits

    def _common_points(self, common_rows: sparse.csr_matrix, row_a: np.ndarray,
                       col_a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which pairs (``row_a[i]``, candidate ``col_a[i]``) share common features, and their points.

        The block's ``common_rows`` become one dense block x common features
        table: a pair costs a look-up per common feature of its candidate.
        Each pair's products are summed in ascending feature order by
        ``np.add.reduceat``, as ``multiply(...).sum(axis=1)`` of the two rows
        does: the very same floats.
        """
        width = self._common.shape[1]
        table = np.zeros(common_rows.shape[0] * width)
        table[np.repeat(np.arange(common_rows.shape[0]) * width, np.diff(common_rows.indptr))
              + self._common_rank[common_rows.indices]] = common_rows.data
        indptr = self._common.indptr
        counts = indptr[col_a + 1] - indptr[col_a]
        pair = np.repeat(np.arange(len(col_a)), counts)
        at = np.arange(len(pair)) + np.repeat(indptr[col_a] - (np.cumsum(counts) - counts), counts)
        product = table[row_a[pair] * width + self._common.indices[at]] * self._common.data[at]
        shared = np.flatnonzero(product)
        pair, product = pair[shared], product[shared]
        if not len(pair):
            return pair, product
        first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        return pair[first], np.add.reduceat(product, first)

    def _eligible(self, own, stamps, row_a, col_a, value, floor=None):
        """Candidates at or above ``min_score``, never the row's own publication, newer ones if allowed.

        ``floor`` (per row) may leave out more: scores known to be too low to be chosen.
        """
        # Only what could round up to min_score (or to the floor) is rounded.
        low = self.options.min_score - 1e-6 if floor is None else floor[row_a]
        keep = (value >= low) & (col_a != own[row_a])
        if not self.options.newer:
            keep &= self.stamps[col_a] <= stamps[row_a]
        row_a, col_a, value = row_a[keep], col_a[keep], np.round(value[keep], 9)  # float noise must not decide ties
        keep = (value >= round(self.options.min_score, 9)) & (value > 0)
        return row_a[keep], col_a[keep], value[keep]

    def _pick(self, row_a: np.ndarray, col_a: np.ndarray, value: np.ndarray, limit: np.ndarray,
              wanted: np.ndarray, skip: Sequence[list[int]],
              bound: np.ndarray) -> tuple[list[list[Suggestion]], np.ndarray, np.ndarray]:
        """The best ``limit[r]`` candidates of every row r, none in ``skip[r]`` (columns), all rows at once;
        which rows are exact: False where others could beat them (see ``bound``); and each row's cut
        (the ``wanted[r]``-th best score, see ``best_cut``).

        Candidates come row after row.  Only the best ``wanted[r]`` (``limit`` plus
        one per path ``skip`` may hold) and the ties at that cut can be chosen;
        those few are ranked by score, then date (newer first), then title.
        """
        n_rows = len(limit)
        cut = best_cut(row_a, value, wanted, n_rows)
        finalists = np.flatnonzero(value >= cut[row_a])
        row_a, col_a, value = row_a[finalists], col_a[finalists], value[finalists]
        skipped = [i * self.size + c for i, cols in enumerate(skip) for c in cols]
        keep = ~np.isin(row_a * self.size + col_a, skipped)
        row_a, col_a, value = row_a[keep], col_a[keep], value[keep]
        order = np.lexsort((self.title_rank[col_a], -self.stamps[col_a], -value, row_a))
        row_a, col_a, value = row_a[order], col_a[order], value[order]
        rank = np.arange(len(row_a)) - np.searchsorted(row_a, row_a)
        chosen = rank < limit[row_a]
        row_a, col_a, value = row_a[chosen], col_a[chosen], value[chosen]
        starts = np.searchsorted(row_a, np.arange(n_rows))
        ends = np.searchsorted(row_a, np.arange(n_rows), side="right")
        made = list(map(_new_suggestion, zip(map(self.docs.__getitem__, col_a.tolist()), value.tolist())))
        out = [made[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
        found = ends - starts
        last = np.where(found > 0, value[np.maximum(ends - 1, 0)] if len(value) else 0.0, -np.inf)  # lowest score
        full = (found == limit) & (last > bound + 1e-6)
        return out, (limit <= 0) | (bound < self.options.min_score - 1e-6) | full, cut

    def suggest(self, publication: Publication, limit: int, exclude: set[str] = frozenset()) -> list[Suggestion]:
        return self.suggest_all([publication], [limit], [set(exclude)])[0]

    def explain(self, publication: Publication, other: Publication) -> Explanation:
        """The shared signals and words behind ``other``'s score for ``publication``."""
        mine, theirs = self.row_of(publication), self.row_of(other)
        a = dict(zip(mine.indices.tolist(), mine.data.tolist()))
        b = dict(zip(theirs.indices.tolist(), theirs.data.tolist()))
        signals, words = [], []
        for col in sorted(a.keys() & b.keys()):
            points, key = a[col] * b[col], self.features[col]
            if isinstance(key, tuple):
                signals.append((key[0], self.names.get(key, key[1]), points))
            else:
                words.append((key, points))
        signals.sort(key=lambda s: (-s[2], s[0], s[1]))
        words.sort(key=lambda w: (-w[1], w[0]))
        text = sum(p for _, p in words)
        total = sum(p for *_, p in signals) + text
        return Explanation(round(total, 9), tuple(signals), tuple(words), text)
