"""The words of a publication, as the "Have you read?" index reads them.

Only the lead of the body is read (``TEXT_CHARS``), and ``count_words``
reads every publication in one pass into flat arrays: building one small
array per publication cost more than the counting itself.
"""

from __future__ import annotations

import re
import string
from collections import Counter, defaultdict
from itertools import chain, count

import numpy as np

from .model import Publication
from .text import markdown_words

TEXT_CHARS = 1600  # of the body: its lead (~250 words) says what it is about, and bounds the cost
_WORD = re.compile(r"\w{3,}")  # words with digits or "_" are dropped with the rare ones
_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})  # \W in ASCII
_FOLDED_NOT_WORD = {**_NOT_WORD, **str.maketrans(string.ascii_uppercase, string.ascii_lowercase)}  # and casefold
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
CHUNK = 1024  # publications whose word counts are held at once


def text_of(publication: Publication) -> str:
    """The title (twice: it says what the piece is about), summary and body's lead, case-folded."""
    return _text_of(publication).casefold()


def _text_of(publication: Publication) -> str:
    body = markdown_words(publication.body[:TEXT_CHARS])
    return f"{publication.title}\n{publication.title}\n{publication.summary}\n{body}"


def _tokens_of(publication: Publication) -> list[str]:
    """``tokens_of(text_of(publication))``; ASCII text is case-folded by the same ``translate``."""
    text = _text_of(publication)
    return text.translate(_FOLDED_NOT_WORD).split() if text.isascii() else tokens_of(text.casefold())


def tokens_of(text: str) -> list[str]:
    """The words ``_WORD`` finds in ``text``, in order, and maybe also some shorter ones.

    ASCII text (most of it) is split in C instead, ~3x faster: every
    character that is not a word character becomes a space.  That also
    yields the one- and two-letter words ``_WORD`` skips; ``is_word`` drops them.
    """
    return text.translate(_NOT_WORD).split() if text.isascii() else _WORD.findall(text)


def is_word(token: str) -> bool:
    """A token that may become a feature: as long as ``_WORD`` asks, and not a function word."""
    return len(token) >= 3 and token not in STOP_WORDS


def words_of(publication: Publication) -> Counter:
    """Word counts of the publication's ``text_of``, in order of first appearance."""
    counts = Counter(tokens_of(text_of(publication)))
    for token in [t for t in counts if not is_word(t)]:
        del counts[token]
    return counts


def count_words(publications: list[Publication]) -> tuple[defaultdict[str, int], np.ndarray, np.ndarray, np.ndarray]:
    """The vocabulary (word -> id) and flat arrays row, word id, count: one entry per distinct
    word of each publication, rows in order, a row's words in order of first appearance.

    Tokens become ids first (ids in order of first appearance), then the ids
    are counted: the same arrays as counting words, but counting small ints
    is cheaper than counting strings, and each distinct word of a publication
    needs no second look-up."""
    vocabulary: defaultdict[str, int] = defaultdict(count().__next__)
    id_of = vocabulary.__getitem__
    rows, ids, tfs = [], [], []
    for start in range(0, len(publications), CHUNK):
        counts = [Counter(map(id_of, _tokens_of(p))) for p in publications[start: start + CHUNK]]  # in C
        total = sum(map(len, counts))
        ids.append(np.fromiter(chain.from_iterable(counts), np.int64, total))
        tfs.append(np.fromiter(chain.from_iterable(map(Counter.values, counts)), np.float32, total))
        lengths = np.fromiter(map(len, counts), np.int64, len(counts))
        rows.append(np.repeat(np.arange(start, start + len(counts)), lengths))
    if not rows:
        return vocabulary, np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
    tokens = list(vocabulary)  # by id
    # Short tokens and function words have ids too (cheaper than skipping them one by one).
    wanted = np.fromiter(map(is_word, tokens), bool, len(tokens))
    ids_a = np.concatenate(ids)
    keep = wanted[ids_a]
    return vocabulary, np.concatenate(rows)[keep], ids_a[keep], np.concatenate(tfs)[keep]
