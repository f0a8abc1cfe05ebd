"""Work beside the build: a second interpreter, threads, and the garbage collector.

Features ask for these here, so that what runs concurrently is in one file:

- :class:`HelperProcess` runs a standard-library script in a fresh
  interpreter (``python -I -S``, about 10 ms) with pickled input on stdin.
  It is started with ``subprocess``, never by fork: the MkDocs process has
  threads (Pagefind's reader and sender, the livereload server), and forking
  a multi-threaded process is unsafe.
- :func:`in_threads` maps a function over items on a few threads, in order;
  it pays only where the work releases the GIL (NumPy, SciPy).
- :func:`collector_paused` pauses the cyclic garbage collector around code
  that allocates many short-lived containers that form no cycles.

A result computed elsewhere is a :class:`Pending`: ``result()`` waits for it,
``stop()`` says it is no longer wanted (and ends the process behind it).
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Callable, Generic, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Pending(Generic[T]):
    """A result that is computed here, when it is asked for."""

    def __init__(self, compute: Callable[[], T]):
        self._compute = compute

    def result(self) -> T:
        return self._compute()

    def stop(self) -> None:
        """The result is no longer wanted."""


class HelperProcess(Pending[T]):
    """``script`` run in a fresh interpreter, reading ``payload`` pickled on stdin and
    writing its result pickled on stdout; if it cannot start, fails or answers
    garbage, ``result()`` computes ``fallback()`` here instead."""

    def __init__(self, script: str, payload: object, fallback: Callable[[], T]):
        super().__init__(fallback)
        self._answer: list[bytes] = []
        try:
            self._process = subprocess.Popen([sys.executable, "-I", "-S", script], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError:
            self._process = None
            return
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
        # One thread feeds the input, then reads the answer as it comes (a full pipe would stall the helper).
        self._feeder = threading.Thread(target=self._feed, args=(data,), daemon=True)
        self._feeder.start()

    def _feed(self, data: bytes) -> None:
        process = self._process
        try:
            process.stdin.write(data)
        except OSError:  # the helper died: result() computes here
            pass
        try:
            process.stdin.close()
        except OSError:
            pass
        self._answer.append(process.stdout.read())
        process.stdout.close()

    def result(self) -> T:
        if self._process is not None:
            self._feeder.join()
            if self._process.wait() == 0 and self._answer:
                try:
                    return pickle.loads(self._answer[0])
                except Exception:  # noqa: BLE001 - a broken answer: compute here instead
                    pass
        return self._compute()

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._feeder.join()
            self._process.wait()


def in_threads(function: Callable[[T], R], items: Sequence[T], workers: int) -> Iterator[R]:
    """``map(function, items)`` on ``workers`` threads, results in order as they come."""
    if len(items) > 1 and workers > 1:
        with ThreadPoolExecutor(workers) as pool:
            yield from pool.map(function, items)
    else:
        yield from map(function, items)


@contextmanager
def collector_paused() -> Iterable[None]:
    """Pause the cyclic garbage collector inside the block (nested blocks are fine).

    Building the "Have you read?" index allocates a few containers per
    publication and frees them by reference counting (none form cycles), yet
    the allocations keep making the collector walk every live object again:
    about 15% of the CPU at 10,000 publications.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
