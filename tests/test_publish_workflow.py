"""The publishing workflow (issue 15, .github/workflows/publish.yml): when it runs, and that only a build
that passed the tests and --strict is deployed, with pinned actions."""

from __future__ import annotations

import re

import yaml

from sites import REPO

WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"


def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def test_runs_on_push_to_main_daily_and_by_hand():
    triggers = workflow()["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    (cron,) = [entry["cron"] for entry in triggers["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert (day, month, weekday) == ("*", "*", "*") and minute.isdigit() and hour.isdigit()  # once a day


def test_deploys_only_after_tests_and_a_strict_build():
    jobs = workflow()["jobs"]
    assert jobs["build"]["needs"] == "test" and jobs["deploy"]["needs"] == "build"
    assert any("make test" in step.get("run", "") for step in steps(jobs["test"]))
    builds = [step["run"] for step in steps(jobs["build"]) if "mkdocs build" in step.get("run", "")]
    assert builds and all("--strict" in run for run in builds)
    uploads = [step for step in steps(jobs["build"]) if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(uploads) == 1 and steps(jobs["build"])[-1] is uploads[0]  # the last step, after the build
    assert [s["uses"].split("@")[0] for s in steps(jobs["deploy"])] == ["actions/deploy-pages"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert workflow()["permissions"] == {"contents": "read"}  # nothing else may write


def test_every_action_is_pinned_to_a_release():
    for job in workflow()["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+\.\d+\.\d+", step["uses"]), step["uses"]
