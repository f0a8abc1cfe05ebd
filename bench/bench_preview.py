"""The preview's save-to-served time (issue 15): `mkdocs serve` on a generated site, each kind of save.

    python bench/bench_preview.py                      # 1,000 publications, 10 saves of each kind
    python bench/bench_preview.py --sizes 1000 5000 --saves 10
    python bench/bench_preview.py --plain --kinds body --saves 3   # `serve` without --dirty: before

It starts `mkdocs serve --dirty` (what `make serve` runs) on a corpus from ``generate.py`` for each of
``--sizes`` (the corpus in ``SMARTNOTES_BENCH_CORPUS``, as ``run.py`` sets it, is copied for the size it
holds; ``run.py`` asks for 1,000 and its largest N), waits for the first build, then for each
kind of save (body edit, title change, tag change, country change, new publication, deletion, rename,
author registry edit) writes the file, waits on MkDocs's livereload endpoint for a new version of
the site (as the script in every served page does) and asks for the page until it shows the
change: save-to-served. What is measured is the file watcher's delay, the rebuild and the request
(the page is not polled meanwhile: twenty requests a second slowed the rebuild by a quarter). In Chromium (``--browser``, body edits) the page is open and
the time runs until livereload has reloaded it with the change: save-to-reloaded. The search index
is installed after the pages (in the background) and is not waited for. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "plugins"))
from smartnotes.content.text import default_slug  # noqa: E402 (the project's slug rule)
KINDS = ("body", "title", "tag", "country", "new", "delete", "rename", "authors")
COUNTRIES = ("Kenya", "Peru", "India", "Cambodia", "Mexico")  # a note moves to one it is not in


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def wait_for(url: str, ok, timeout: float = 600.0, every: float = 0.02) -> float:
    """Poll ``url`` until ``ok(status, text)``; the monotonic time it first did."""
    deadline = time.monotonic() + timeout
    while True:
        status, text = get(url)
        if ok(status, text):
            return time.monotonic()
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} never showed the change")
        time.sleep(every)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Site:
    """A corpus served by `mkdocs serve`, and the saves a writer makes to it."""

    def __init__(self, root: Path, dirty: bool):
        self.root, self.port = root, free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": os.pathsep.join(
            [str(REPO / "plugins"), os.environ.get("PYTHONPATH", "")])}
        self.log = open(root / "serve.log", "w")
        args = ["serve", "--dirty"] if dirty else ["serve"]
        self.proc = subprocess.Popen([sys.executable, "-m", "mkdocs", *args, "--livereload",
                                      "--dev-addr", f"127.0.0.1:{self.port}"],
                                     cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        start = time.monotonic()
        wait_for(self.url, lambda status, text: status == 200, timeout=3600, every=0.5)
        self.first_build = time.monotonic() - start
        self.notes = sorted(p for p in (root / "notes").glob("*.md"))
        self.turn = 0

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()

    def note(self) -> Path:
        self.turn += 1
        return self.notes[(self.turn * 37) % len(self.notes)]

    def url_of(self, path: Path) -> str:
        """The note's address, by the project's own rule (a file name over 80 characters is cut at
        a word: a renamed note's address is not always its file's name)."""
        return f"{self.url}notes/{default_slug(path)}/"

    def epoch(self, after: int = 0) -> int:
        """The version of the site MkDocs serves, once newer than ``after``: its livereload
        endpoint answers as it answers the script in every served page (a long poll)."""
        while True:
            status, text = get(f"{self.url}livereload/{after}/1")
            if status == 200 and int(text) > after:
                return int(text)

    def save(self, kind: str) -> tuple[float, float]:
        """Make one save of ``kind``: (time of the save, time the served page showed it). As the
        page in a browser does, wait for a new version of the site (not polling the page, whose
        requests would slow the rebuild), then ask for the page; again if it does not show it yet."""
        token = f"bench{self.turn}x{time.monotonic_ns() % 10**9}"
        seen = self.epoch()
        getattr(self, f"_{kind}")(token)
        saved = time.monotonic()
        url, ok = self.expect
        deadline = saved + 600
        while True:
            seen = self.epoch(seen)
            if ok(*get(url)):
                return saved, time.monotonic()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} never showed the change")

    def _rewrite(self, path: Path, old: str, new: str, count: int = 1) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def _body(self, token):
        path = self.note()
        with path.open("a", encoding="utf-8") as f:
            f.write(f"\nAn added sentence {token}.\n")
        self.expect = (self.url_of(path), lambda s, t: token in t)

    def _title(self, token):
        path = self.note()
        self._rewrite(path, 'title: "', f'title: "{token} ')
        self.expect = (self.url_of(path), lambda s, t: f"<h1>{token}" in t or f"{token} " in t)

    def _tag(self, token):
        path = self.note()
        self._rewrite(path, "tags: [", f'tags: ["{token}", ')
        self.expect = (f"{self.url}tags/{token}/", lambda s, t: s == 200 and path.stem in t)

    def _country(self, token):
        while True:  # a note with a one-line country list
            path = self.note()
            text = path.read_text(encoding="utf-8")
            found = re.search(r"^countries: (\[.*)$", text, flags=re.M)
            if found:
                break
        listed = found.group(1)
        country = next(c for c in COUNTRIES if f'"{c}"' not in listed)
        path.write_text(re.sub(r"^countries: .*$", f'countries: ["{country}"]', text, count=1, flags=re.M),
                        encoding="utf-8")
        # The note's page links to its new country (the country's listing comes in pages of 20,
        # newest first: the note may be on any of them).
        self.expect = (self.url_of(path), lambda s, t: f"countries/{slugify(country)}/" in t)

    def _new(self, token):
        path = self.root / "notes" / f"{token}.md"
        path.write_text(f'---\ntitle: "New note {token}"\ndate: 2015-01-01\nauthors: ["tara-moreau"]\n'
                        f'tags: ["client protection"]\ncountries: ["India"]\n---\n\nA new note.\n', encoding="utf-8")
        self.created = path
        self.expect = (self.url_of(path), lambda s, t: s == 200 and token in t)

    def _delete(self, token):
        path = self.created
        path.unlink()
        self.expect = (self.url_of(path), lambda s, t: s == 404)

    def _rename(self, token):
        """Rename a note as a person would: the file, and the `related:` entries that name it (in a
        generated corpus most notes are named by another; leaving those would be an error to fix)."""
        path = self.note()
        new = path.with_name(f"{path.stem}-{token}.md")
        named = re.compile(rf"(?<![\w.-]){re.escape(path.name)}")
        fixed = {other: named.sub(new.name, text) for other in self.notes + sorted((self.root / "case_studies").glob("*.md"))
                 if other != path and named.search(text := other.read_text(encoding="utf-8"))}
        for other, text in fixed.items():  # at once, as an editor's rename applies its edits to links
            other.write_text(text, encoding="utf-8")
        os.replace(path, new)
        self.notes[self.notes.index(path)] = new
        self.expect = (self.url_of(new), lambda s, t: s == 200)

    def _authors(self, token):
        path = self.root / "content" / "authors.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"name: Tara Moreau.*", f"name: Tara Moreau {token}", text, count=1), encoding="utf-8")
        self.expect = (f"{self.url}authors/tara-moreau/", lambda s, t: token in t)


def in_browser(site: Site, saves: int) -> list[float]:
    """Body edits with the page open in Chromium: save to the reloaded page showing the change."""
    from playwright.sync_api import Error, sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        for _ in range(saves):
            path = site.note()
            page.goto(site.url_of(path))
            page.wait_for_load_state("load")
            time.sleep(0.7)  # livereload's long poll is open
            token = f"browser{time.monotonic_ns() % 10**9}"
            with path.open("a", encoding="utf-8") as f:
                f.write(f"\nAn added sentence {token}.\n")
            saved = time.monotonic()
            deadline = saved + 600
            while True:
                try:
                    page.wait_for_function("t => document.body && document.body.innerText.includes(t)",
                                           arg=token, polling=20, timeout=2000)
                    break
                except Error:  # a reload destroyed the context, or not yet: ask again
                    if time.monotonic() > deadline:
                        raise
            times.append(time.monotonic() - saved)
        browser.close()
    return times


def publications(root: Path) -> int:
    return len(list((root / "notes").glob("*.md")) + list((root / "case_studies").glob("*.md")))


def corpus_for(n: int, work: Path) -> Path:
    shown = os.environ.get("SMARTNOTES_BENCH_CORPUS")
    root = work / f"corpus-{n}"
    if shown and publications(Path(shown)) == n:  # run.py's, built already: copied, since saves change it
        shutil.copytree(shown, root, ignore=shutil.ignore_patterns("site", "plain", "blog-docs"))
        return root
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "--n", str(n), "--seed", "1",
                    "--out", str(root), "--repo", str(REPO)], check=True, stdout=subprocess.DEVNULL)
    return root


def measure(n: int, saves: int, kinds: tuple[str, ...], browser: bool, dirty: bool, work: Path) -> list[str]:
    root = corpus_for(n, work)
    count = publications(root)
    site = Site(root, dirty)
    rows = []
    try:
        print(f"{count} publications: first build {site.first_build:.1f} s", file=sys.stderr)
        for kind in kinds:
            times = []
            for _ in range(saves):
                if kind == "delete":  # each deletion removes a publication made for it
                    site.save("new")
                    time.sleep(0.7)
                saved, shown = site.save(kind)
                times.append(shown - saved)
                time.sleep(0.7)  # the watcher settles (and the search index follows)
            rows.append(_row(count, dirty, kind, "save to served (HTTP)", times))
            print(rows[-1], file=sys.stderr)
        if browser:
            rows.append(_row(count, dirty, "body", "save to reloaded (Chromium)", in_browser(site, saves)))
            print(rows[-1], file=sys.stderr)
    finally:
        site.close()
    return rows


def _row(count: int, dirty: bool, kind: str, what: str, times: list[float]) -> str:
    mode = "serve --dirty" if dirty else "serve (full rebuilds)"
    return (f"| {count:,} | {mode} | {kind} | {what} | {len(times)} | {statistics.median(times):.2f} s | "
            f"{min(times):.2f}–{max(times):.2f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--saves", type=int, default=10, help="saves of each kind")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument("--browser", action=argparse.BooleanOptionalAction, default=True,
                        help="also body edits in Chromium, save to reloaded")
    parser.add_argument("--plain", action="store_true", help="`mkdocs serve` without --dirty (every save: full build)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as work:
        for n in sorted(set(args.sizes)):
            rows += measure(n, args.saves, tuple(args.kinds), args.browser, not args.plain, Path(work))
    print("### Preview: save to served page (`bench/bench_preview.py`)\n")
    print("| publications | command | save | measured | saves | median | range |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
