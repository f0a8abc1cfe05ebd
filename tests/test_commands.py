"""The writers' commands (issue 14): `smartnotes new`, `smartnotes check`, help and usage errors.

The console script is `smartnotes.__main__:main` (pyproject.toml); these tests call ``main()`` as the
script does, and `python -m smartnotes` as a person would.
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from sites import REPO, build, write_site
from smartnotes.__main__ import main
from smartnotes.content.fieldtable import publication_fields
from smartnotes.content.taxonomies import Taxonomies

NOW = "now: 2030-01-01T03:00:00+00:00"  # still 2029-12-31 in New York, the sites' time zone


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "smartnotes", *args], cwd=root, capture_output=True, text=True)


def call(capsys, *args: str) -> tuple[int, str, str]:
    """``main()`` as the console script calls it: its exit status, stdout and stderr."""
    try:
        status = main(list(args))
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def test_the_console_script_is_main():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, _, name = scripts["smartnotes"].partition(":")
    assert getattr(importlib.import_module(module), name) is main


@pytest.mark.parametrize("command", [[], ["new"], ["check"], ["related"], ["options"], ["schema"], ["scheduled"]])
def test_every_command_has_help(command, capsys):
    status, out, _ = call(capsys, *command, "--help")
    assert status == 0
    assert out.startswith(" ".join(["Usage: smartnotes", *command]) + " ")
    assert out.split("\n\n")[1].strip(), "a description follows the usage line"


def test_a_usage_mistake_is_told_as_click_tells_it(tmp_path, capsys, monkeypatch):
    root = write_site(tmp_path, {})
    monkeypatch.chdir(root)
    status, out, err = call(capsys, "new", "nots", "A title")
    assert status == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("Usage: smartnotes new ")
    assert lines[-3:] == ["Try 'smartnotes new --help' for help.", "", "Error: No collection 'nots'. Did you mean 'notes'?"]
    status, _, err = call(capsys, "nonsense")
    assert status == 2 and err.splitlines()[-1].startswith("Error: Argument command: invalid choice: 'nonsense'")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])


def test_new_writes_a_draft_with_every_field_explained(tmp_path, capsys, monkeypatch):
    root = write_site(tmp_path, {}, plugin_config=NOW)
    monkeypatch.chdir(root)
    title = 'Reading: "quotes", colons # and hashes'
    status, out, err = call(capsys, "new", "notes", title, "--author", "maggie-long")
    assert status == 0, err
    path = root / "notes" / "reading-quotes-colons-and-hashes.md"
    assert out.splitlines()[0] == ("Created notes/reading-quotes-colons-and-hashes.md (a draft, dated 2029-12-31): "
                                   "/notes/reading-quotes-colons-and-hashes/")
    fields = front_matter(path)
    assert fields == {"title": title, "date": __import__("datetime").date(2029, 12, 31), "authors": ["maggie-long"],
                      "draft": True}
    text = path.read_text(encoding="utf-8")
    for spec in publication_fields(Taxonomies()):
        if spec.required or spec.name == "draft":
            continue
        assert re.search(rf"^# {spec.name}: .+\n#   {re.escape(spec.help)}$", text, re.M), spec.name
    # It passes the check a build makes.
    checked = run(root, "check", "notes/")
    assert checked.returncode == 0 and checked.stdout.startswith("No problems"), checked.stdout + checked.stderr


def test_new_never_takes_a_name_or_an_address_and_says_so(tmp_path, capsys, monkeypatch):
    root = write_site(tmp_path, {
        "notes/other.md": "---\ntitle: Other\ndate: 2012-01-01\nauthors: [maggie-long]\nslug: a-title-2\n---\nText\n",
    }, plugin_config=NOW)
    monkeypatch.chdir(root)
    assert call(capsys, "new", "notes", "A title")[0] == 0
    first = (root / "notes" / "a-title.md").read_text(encoding="utf-8")
    status, out, _ = call(capsys, "new", "notes", "A title", "--date", "2013-04-03")
    assert status == 0
    assert out.splitlines()[0] == ("notes/a-title.md or the address /notes/a-title/ is taken: using the slug "
                                   "'a-title-3'")
    assert (root / "notes" / "a-title.md").read_text(encoding="utf-8") == first  # never overwritten
    assert str(front_matter(root / "notes" / "a-title-3.md")["date"]) == "2013-04-03"
    assert not (root / "notes" / "a-title-2.md").exists()  # that address is other.md's


def test_new_refuses_what_it_cannot_use(tmp_path, capsys, monkeypatch):
    root = write_site(tmp_path, {})
    monkeypatch.chdir(root)
    status, _, err = call(capsys, "new", "notes", "A title", "--date", "03/04/2013")
    assert status == 2
    assert err.splitlines()[-1] == ("Error: --date '03/04/2013' is not a date: ambiguous: 2013-04-03 (day first) or "
                                    "2013-03-04 (month first)? Write the one you mean as YYYY-MM-DD.")
    status, _, err = call(capsys, "new", "notes", "A title", "--author", "magie-long")
    assert status == 2 and err.splitlines()[-1] == "Error: Unknown author 'magie-long'. Did you mean 'maggie-long'?"
    assert not list((root / "notes").iterdir())


def test_a_new_note_is_published_once_it_is_not_a_draft(tmp_path):
    root = write_site(tmp_path, {})
    made = run(root, "new", "case_studies", "Hotline audits", "--author", "ana-perez")
    assert made.returncode == 0, made.stderr
    path = root / "case_studies" / "hotline-audits.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    assert run(root, "check").returncode == 0
    result = build(root)
    assert result.returncode == 0, result.output
    assert result.html("case-studies/hotline-audits/").xpath("string(//h1)").strip() == "Hotline audits"


BROKEN = {
    "notes/a.md": "---\ntitle: A\ndate: 03/04/2013\nauthors: [magie-long]\n---\nText\n",
    "notes/b.md": "---\ntitle: B\ndate: 2013-01-01\nauthors: [maggie-long]\nslug: c\nrelated: [notes/zzz.md]\n---\nText\n",
    "notes/c.md": "---\ntitle: C\ndate: 2013-01-01\nauthors: [maggie-long]\nTags: [x]\n---\nText\n",
    "case_studies/d.md": "---\ntitle: D\ndate: 2013-01-01\nauthors: [maggie-long]\ncountries: [Azerbaijn]\n---\nT\n",
}


def build_problems(output: str) -> list[str]:
    """The problem lines of a failed build (under 'N error(s), M warning(s) in content:')."""
    head = re.search(r"\d+ error\(s\), \d+ warning\(s\) in content:\n((?:  .*\n?)+)", output)
    return [line.strip() for line in head.group(1).splitlines()]


def test_check_says_exactly_what_the_build_says(tmp_path):
    root = write_site(tmp_path, BROKEN)
    built = build(root)
    assert built.returncode == 1
    checked = run(root, "check")
    assert checked.returncode == 1
    assert [line.strip() for line in checked.stdout.splitlines()[1:]] == build_problems(built.output)
    assert checked.stdout.splitlines()[0] == "5 error(s), 0 warning(s) in content:"
    assert "notes/a.md:3: date: '03/04/2013' is not a date — ambiguous: 2013-04-03 (day first) or 2013-03-04 " \
           "(month first)? Write the one you mean as YYYY-MM-DD" in checked.stdout


def test_check_finds_an_address_taken_as_the_build_does(tmp_path):
    root = write_site(tmp_path, {
        "notes/y.md": "---\ntitle: Y\ndate: 2013-01-01\nauthors: [maggie-long]\n---\nText\n",
        "content/notes/y.md": "# A page of mine\n",
    })
    built, checked = build(root), run(root, "check")
    assert built.returncode == checked.returncode == 1
    assert [line.strip() for line in checked.stdout.splitlines()[1:]] == build_problems(built.output)
    assert len(build_problems(built.output)) == 2


def test_check_formats_and_paths(tmp_path):
    root = write_site(tmp_path, BROKEN)
    data = json.loads(run(root, "check", "--format", "json").stdout)
    assert (data["errors"], data["warnings"]) == (5, 0)
    assert {"path": "case_studies/d.md", "line": 5, "field": "countries", "message": "unknown country 'Azerbaijn'",
            "fix": "did you mean 'Azerbaijan'?", "severity": "error",
            "text": "case_studies/d.md:5: countries: unknown country 'Azerbaijn' — did you mean 'Azerbaijan'?"} \
        in data["problems"]
    github = run(root, "check", "--format", "github", "case_studies")
    assert github.returncode == 1
    assert github.stdout.splitlines() == [
        "::error file=case_studies/d.md,line=5,title=countries::unknown country 'Azerbaijn' — did you mean 'Azerbaijan'?"]
    only = run(root, "check", "notes/c.md")
    assert only.stdout.splitlines()[1:] == [
        "  notes/c.md:5: Tags: unknown field 'Tags' — field names are lowercase: write 'tags'"]
    missing = run(root, "check", "notes/nothing.md")
    assert missing.returncode == 2 and missing.stderr.splitlines()[-1] == "Error: Path 'notes/nothing.md' does not exist."


def test_check_passes_a_clean_site(tmp_path):
    root = write_site(tmp_path, {"notes/a.md": "---\ntitle: A\ndate: 2013-01-01\nauthors: [maggie-long]\n---\nText\n"})
    checked = run(root, "check", "--format", "github")
    assert checked.returncode == 0 and checked.stdout == ""
    assert run(root, "check").stdout.strip() == "No problems: 1 publication(s) would be published."


TITLES = ['"', "'", "a: b", "# not a comment", "- a list?", "!tag", "&anchor", "*alias", "{a: 1}", "[b]", "%x", "@me",
          "`code`", "yes", "null", "2012-05-24", "ü 中文", "back\\slash", "tab\there", "  spaced   out  "]


@pytest.mark.parametrize("title", TITLES)
def test_new_quotes_any_title_safely(title, tmp_path):
    from smartnotes.content.settings import SiteSettings
    from smartnotes.schema.artefacts import new_publication

    text = new_publication(SiteSettings(root=tmp_path), " ".join(title.split()), "2012-05-24", ["maggie-long"])
    assert front_matter_text(text)["title"] == " ".join(title.split())


def front_matter_text(text: str) -> dict:
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_the_ci_workflow_runs_check_with_annotations():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8"))
    runs = [step.get("run") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "smartnotes check --format github" in runs and "smartnotes schema --check" in runs
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
