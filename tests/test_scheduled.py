"""`smartnotes scheduled` (issue 15): future-dated publications and when each appears, in the site's time zone.

The command must agree with a build made at the same moment: what it lists is exactly what the build
leaves out for its date, and a build at the listed moment publishes it.
"""

from __future__ import annotations

import json
from datetime import datetime

from sites import NOTE, build, write_site
from test_commands import call

NOW = "now: 2030-01-01T03:00:00+00:00"  # still 2029-12-31 22:00 in New York, the sites' time zone


def note(title: str, date: str, extra: str = "") -> str:
    return NOTE.format(title=title, date=date, extra=extra, body="Text.")


FILES = {
    "notes/past.md": note("Already out", "2029-06-01"),
    "notes/tonight.md": note("Later tonight", "2029-12-31 23:30"),  # site time: still in the future
    "notes/new-year.md": note("New year", "2030-01-01"),  # a bare date: midnight in New York
    "case_studies/offset.md": note("With an offset", "2030-03-05T09:15:00+01:00"),
    "notes/draft.md": note("A future draft", "2030-02-01", "draft: true"),
}


def test_lists_future_publications_soonest_first_in_the_site_time_zone(tmp_path, capsys, monkeypatch):
    root = write_site(tmp_path, FILES, plugin_config=NOW)
    monkeypatch.chdir(root)
    status, out, err = call(capsys, "scheduled", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert data["timezone"] == "America/New_York"
    assert data["now"] == "2029-12-31T22:00:00-05:00"
    listed = [(item["path"], item["appears"]) for item in data["scheduled"]]
    assert listed == [
        ("notes/tonight.md", "2029-12-31T23:30:00-05:00"),
        ("notes/new-year.md", "2030-01-01T00:00:00-05:00"),
        ("case_studies/offset.md", "2030-03-05T03:15:00-05:00"),  # 09:15 at +01:00, told in New York time
    ]
    assert data["scheduled"][0]["url"] == "https://example.org/sub/notes/tonight/"

    status, text, _ = call(capsys, "scheduled")
    assert status == 0
    lines = text.splitlines()
    assert lines[0] == "Now: 2029-12-31 22:00 EST, Monday (America/New_York)."
    assert [line.split()[4] for line in lines[2:]] == [path for path, _ in listed]
    assert lines[2].startswith("  2029-12-31 23:30 EST, Monday  notes/tonight.md  Later tonight")
    assert "draft" not in text.lower().replace("draft: true", "")


def test_what_is_listed_is_what_a_build_leaves_out_until_its_moment(tmp_path, capsys, monkeypatch):
    root = write_site(tmp_path, FILES, plugin_config=NOW)
    monkeypatch.chdir(root)
    _, out, _ = call(capsys, "scheduled", "--format", "json")
    first = json.loads(out)["scheduled"][0]
    result = build(root, site=tmp_path / "before")
    assert result.returncode == 0, result.output
    published = {p.parent.name for p in (tmp_path / "before" / "notes").glob("*/index.html")}
    assert "past" in published and not {"tonight", "new-year", "draft"} & published

    at = datetime.fromisoformat(first["appears"]).isoformat()
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text().replace(NOW, f"now: {at}"))
    result = build(root, site=tmp_path / "after")
    assert result.returncode == 0, result.output
    assert (tmp_path / "after" / "notes" / "tonight" / "index.html").is_file()
    assert not (tmp_path / "after" / "notes" / "new-year" / "index.html").exists()
    _, out, _ = call(capsys, "scheduled", "--format", "json")
    assert [item["path"] for item in json.loads(out)["scheduled"]] == ["notes/new-year.md", "case_studies/offset.md"]


def test_nothing_scheduled_says_so(tmp_path, capsys, monkeypatch):
    root = write_site(tmp_path, {"notes/past.md": FILES["notes/past.md"]}, plugin_config=NOW)
    monkeypatch.chdir(root)
    status, out, _ = call(capsys, "scheduled")
    assert status == 0
    assert out.splitlines()[1] == "Nothing is scheduled: no publication is dated in the future."
