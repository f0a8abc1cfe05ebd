"""Split texts into words and count them: the part of ``related_words.count_words``
that a second process can do.

Only the standard library, so that it also runs as a script in a fresh
interpreter in milliseconds (``python -I -S related_count.py``): it reads
pickled texts on stdin and writes ``count_texts`` of them, pickled, on stdout.
"""

from __future__ import annotations

import gc
import os
import pickle
import re
import string
import sys
from array import array
from collections import Counter, defaultdict
from itertools import count
from typing import Iterable

_WORD = re.compile(r"\w{3,}")  # words with digits or "_" are dropped with the rare ones
_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})  # \W in ASCII
_FOLDED_NOT_WORD = {**_NOT_WORD, **str.maketrans(string.ascii_uppercase, string.ascii_lowercase)}  # and casefold


def tokens_of(text: str) -> list[str]:
    """The words ``_WORD`` finds in ``text``, in order, and maybe also some shorter ones.

    ASCII text (most of it) is split in C instead, ~3x faster: every
    character that is not a word character becomes a space.  That also
    yields the one- and two-letter words ``_WORD`` skips; ``is_word`` drops them.
    """
    return text.translate(_NOT_WORD).split() if text.isascii() else _WORD.findall(text)


def folded_tokens(text: str) -> list[str]:
    """``tokens_of(text.casefold())``; ASCII text is case-folded by the same ``translate``."""
    return text.translate(_FOLDED_NOT_WORD).split() if text.isascii() else tokens_of(text.casefold())


Counts = tuple[list[str], array, array, array]


def count_texts(texts: Iterable[str]) -> Counts:
    """The words (by id, in order of first appearance), then for each text its distinct
    words' ids (in order of first appearance), their counts, and how many it has.

    Tokens become ids first, then the ids are counted: counting small ints is
    cheaper than counting strings, and a word needs no second look-up.
    """
    vocabulary: defaultdict[str, int] = defaultdict(count().__next__)
    id_of = vocabulary.__getitem__
    ids: list[int] = []
    tfs: list[int] = []
    lengths: list[int] = []
    for text in texts:
        counts = Counter(map(id_of, folded_tokens(text)))  # in C
        ids += counts  # lists grow faster than arrays; one conversion at the end
        tfs += counts.values()
        lengths.append(len(counts))
    return list(vocabulary), array("q", ids), array("f", tfs), array("q", lengths)


def main() -> None:
    gc.disable()  # nothing here forms cycles
    texts = pickle.load(sys.stdin.buffer)
    pickle.dump(count_texts(texts), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.buffer.flush()
    os._exit(0)  # the answer is out: freeing every object one by one would only delay the end


if __name__ == "__main__":
    main()
