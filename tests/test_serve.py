"""`mkdocs serve`: keeps serving with content errors shown, rebuilds on edits."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import lxml.html
import pytest

from sites import write_site

GOOD = "---\ntitle: {title}\ndate: 2012-05-24\nauthors: [maggie-long]\n---\nBody.\n"
DRAFT = "---\ntitle: Draft one\ndate: 2012-05-24\nauthors: [maggie-long]\ndraft: true\n---\nBody.\n"
BROKEN = "---\ntitle: Broken\ndate: 2012-13-01\nauthors: [maggie-long]\n---\nBody.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return lxml.html.fromstring(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def heading_after_rebuild(url: str, expected: str, timeout: float = 30.0) -> str:
    """The page's h1 once it reads ``expected`` (the preview rebuilds), or as it is at the timeout."""
    deadline = time.monotonic() + timeout
    while True:
        title = fetch(url).cssselect("h1")[0].text_content()
        if title == expected or time.monotonic() > deadline:
            return title
        time.sleep(0.5)


@pytest.fixture
def served(tmp_path):
    root = write_site(tmp_path, {
        "notes/good.md": GOOD.format(title="Good one"),
        "notes/draft.md": DRAFT,
        "notes/broken.md": BROKEN,
    })
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        yield root, f"http://127.0.0.1:{port}/sub/"  # the path of site_url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_shows_errors_and_drafts_and_rebuilds(served):
    root, url = served
    home = fetch(url)
    problems = [" ".join(li.text_content().split()) for li in home.cssselect(".sn-problems li")]
    assert len(problems) == 1 and problems[0].startswith("notes/broken.md:3: date: '2012-13-01' is not a real date")
    draft = fetch(url + "notes/draft/")
    assert draft.cssselect(".sn-draft-banner")
    (root / "notes" / "good.md").write_text(GOOD.format(title="Edited title"), encoding="utf-8")
    assert heading_after_rebuild(url + "notes/good/", "Edited title") == "Edited title"


def test_a_broken_publication_shows_its_problems_at_its_own_address(served):
    root, url = served
    page = fetch(url + "notes/broken/")
    assert page.cssselect("h1")[0].text_content() == "notes/broken.md cannot be shown yet"
    own = [" ".join(li.text_content().split()) for li in page.cssselect(".sn-broken li")]
    assert len(own) == 1 and own[0].startswith("notes/broken.md:3: date: '2012-13-01' is not a real date")
    (root / "notes" / "broken.md").write_text(GOOD.format(title="Mended"), encoding="utf-8")
    assert heading_after_rebuild(url + "notes/broken/", "Mended") == "Mended"


def _server_watching(tmp_path):
    from mkdocs.livereload import LiveReloadServer

    (tmp_path / "notes").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(tmp_path / "notes"))
    server.watch(str(tmp_path / "mkdocs.yml"))
    return server


def test_serve_dirty_hears_of_saves_in_folders_from_the_system(tmp_path, monkeypatch):
    """`make serve`: folders are watched by the system's notifications, mkdocs.yml still by
    polling (a file saved by replacing it is a new file); nothing MkDocs watched is lost."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    from smartnotes.mkdocs_adapter.plugin import watch_natively

    monkeypatch.delenv("SMARTNOTES_WATCH", raising=False)
    server = _server_watching(tmp_path)
    watch_natively(server)
    try:
        by_path = {os.path.basename(path): server.observer._by[id(w)] for path, w in server._watch_refs.items()}
        assert sorted(by_path) == ["mkdocs.yml", "notes"]
        assert isinstance(by_path["notes"], Observer) and not isinstance(by_path["notes"], PollingObserver)
        assert isinstance(by_path["mkdocs.yml"], PollingObserver)
        server.observer.start()
        time.sleep(0.3)
        (tmp_path / "notes" / "a.md").write_text("saved", encoding="utf-8")
        deadline = time.monotonic() + 5
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server._want_rebuild, "the save was not heard of"
    finally:
        if server.observer.is_alive():
            server.observer.stop()
            server.observer.join(5)
        server.server_close()


def test_serve_dirty_can_be_told_to_poll(tmp_path, monkeypatch):
    from smartnotes.mkdocs_adapter.plugin import watch_natively

    monkeypatch.setenv("SMARTNOTES_WATCH", "poll")
    server = _server_watching(tmp_path)
    before = server.observer
    watch_natively(server)
    assert server.observer is before
    server.server_close()


def test_serve_dirty_is_not_told_of_files_read(tmp_path, monkeypatch):
    """A build reads every publication: the system tells of files opened and closed, which is
    no save (else every rebuild would start the next)."""
    from smartnotes.mkdocs_adapter.plugin import watch_natively

    monkeypatch.delenv("SMARTNOTES_WATCH", raising=False)
    server = _server_watching(tmp_path)
    (tmp_path / "notes" / "a.md").write_text("saved", encoding="utf-8")
    watch_natively(server)
    server.observer.start()
    try:
        time.sleep(0.3)
        for _ in range(5):
            (tmp_path / "notes" / "a.md").read_text(encoding="utf-8")
        time.sleep(0.5)
        assert not server._want_rebuild, "reading a file was taken for a save"
        (tmp_path / "notes" / "a.md").write_text("saved again", encoding="utf-8")
        deadline = time.monotonic() + 5
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server._want_rebuild
    finally:
        server.observer.stop()
        server.observer.join(5)
        server.server_close()
