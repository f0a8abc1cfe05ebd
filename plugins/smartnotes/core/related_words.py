"""The words of a publication, as the "Have you read?" index reads them.

Only the lead of the body is read (``TEXT_CHARS``), and ``count_words``
reads every publication in one pass into flat arrays: building one small
array per publication cost more than the counting itself.  Splitting and
counting is ``related_count.py`` (standard library only), so that from
``HELPER_FROM`` publications a second interpreter can count a share of them
on a second CPU.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from collections import Counter, defaultdict
from itertools import count
from typing import Callable

import numpy as np

from . import related_count
from .model import Publication
from .related_count import count_texts, tokens_of
from .text import markdown_words

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
    (``count_elsewhere``); merged in order, the arrays are the same.
    """
    return start_counting(publications)()


def start_counting(publications: list[Publication]) -> Callable[[], WordCounts]:
    """``count_words`` in two steps: the helper process (if any) starts now; the function
    returned counts the rest here and merges.  The caller may work in between (or
    give up: the function's ``stop()`` ends the helper)."""
    n = split = len(publications)
    if n >= HELPER_FROM and usable_cpus() > 1:
        split = n - int(n * HELPER_SHARE)
    later = count_elsewhere(list(map(_text_of, publications[split:]))) if split < n else None

    def stop() -> None:
        if later is not None:
            later.stop()

    def finish() -> WordCounts:
        try:
            parts = [count_texts(map(_text_of, publications[:split]))]
        except BaseException:
            stop()
            raise
        if later is not None:
            parts.append(later())
        return _merged(parts, n)

    finish.stop = stop
    return finish


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


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def count_elsewhere(texts: list[str]) -> Callable[[], related_count.Counts]:
    """Start ``count_texts(texts)`` in a fresh interpreter (``related_count.py`` as a
    script: standard library only, no fork of this possibly multi-threaded process);
    the returned function waits for the result, or counts here if that failed.
    Its ``stop()`` ends the helper when the result is no longer wanted."""
    try:
        helper = subprocess.Popen([sys.executable, "-I", "-S", related_count.__file__],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError:
        result = lambda: count_texts(texts)  # noqa: E731
        result.stop = lambda: None
        return result
    data = pickle.dumps(texts, protocol=pickle.HIGHEST_PROTOCOL)
    answer: list[bytes] = []
    # One thread feeds the texts, then reads the answer as it comes (a full pipe would stall the helper).
    feeder = threading.Thread(target=_feed, args=(helper, data, answer), daemon=True)
    feeder.start()

    def result() -> related_count.Counts:
        feeder.join()
        if helper.wait() == 0 and answer:
            try:
                return pickle.loads(answer[0])
            except Exception:  # noqa: BLE001 - a broken answer: count here instead
                pass
        return count_texts(texts)

    def stop() -> None:
        helper.kill()
        feeder.join()
        helper.wait()

    result.stop = stop
    return result


def _feed(helper: subprocess.Popen, data: bytes, answer: list[bytes]) -> None:
    try:
        helper.stdin.write(data)
    except OSError:  # the helper died: result() counts here
        pass
    try:
        helper.stdin.close()
    except OSError:
        pass
    answer.append(helper.stdout.read())
    helper.stdout.close()
