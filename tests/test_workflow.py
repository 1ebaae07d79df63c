"""The CI workflow: valid against the GitHub workflow schema, and doing what
the paper's readers rely on (install from pyproject, test, build both
formats, upload one artifact named <deliverable>-<commit>)."""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "build.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps() -> list[dict]:
    jobs = _workflow()["jobs"]
    return [step for job in jobs.values() for step in job.get("steps", [])]


def _runs() -> str:
    return "\n".join(step.get("run", "") for step in _steps())


def _uses(action: str) -> list[dict]:
    return [step for step in _steps() if str(step.get("uses", "")).split("@")[0] == action]


def _check_jsonschema() -> list[str] | None:
    if importlib.util.find_spec("check_jsonschema") is not None:
        return [sys.executable, "-m", "check_jsonschema"]
    if shutil.which("check-jsonschema"):
        return ["check-jsonschema"]
    return None


def test_workflow_matches_the_github_schema():
    command = _check_jsonschema()
    if command is None:
        pytest.skip("check-jsonschema is not installed (pip install '.[test]')")
    result = subprocess.run(
        [*command, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_runs_on_push_pull_request_and_by_hand():
    wf = _workflow()
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as True
    if isinstance(triggers, str):
        triggers = [triggers]
    assert {"push", "pull_request", "workflow_dispatch"} <= set(triggers)


def test_python_311_on_ubuntu():
    jobs = _workflow()["jobs"]
    assert all(job["runs-on"] == "ubuntu-latest" for job in jobs.values())
    setup = _uses("actions/setup-python")
    assert setup and str(setup[0]["with"]["python-version"]) == "3.11"


def test_installs_the_project_and_the_system_tools():
    runs = _runs()
    assert 'pip install ".[test]"' in runs or "pip install '.[test]'" in runs
    for package in ("poppler-utils", "qpdf", "libreoffice-writer-nogui", "fonts-crosextra-carlito"):
        assert package in runs, package


def test_runs_the_tests_then_builds_both_formats_with_a_log():
    runs = _runs()
    assert "python -m pytest" in runs
    assert runs.index("python -m pytest") < runs.index("build.py --format all")
    build = next(step for step in _steps() if "build.py --format all" in step.get("run", ""))
    assert "set -o pipefail" in build["run"], "without pipefail, tee hides a failed build"
    assert "mkdir -p output" in build["run"]
    assert "tee output/build.log" in build["run"]


def test_uploads_one_artifact_named_after_the_deliverable_and_the_commit():
    uploads = _uses("actions/upload-artifact")
    assert len(uploads) == 1
    upload = uploads[0]
    assert upload["uses"] == "actions/upload-artifact@v4"
    name = upload["with"]["name"]
    assert "${{ github.sha }}" in name
    assert "steps.meta.outputs.deliverable" in name, "the deliverable id is read from content/paper.yaml, not hard-coded"
    paths = upload["with"]["path"].split()
    assert {"output/*.pdf", "output/*.docx", "output/build.log"} <= set(paths)
    assert upload["with"]["if-no-files-found"] == "error"


def test_the_deliverable_step_reads_paper_yaml():
    meta = next(step for step in _steps() if step.get("id") == "meta")
    assert "content/paper.yaml" in meta["run"] and "GITHUB_OUTPUT" in meta["run"]
    # the same one-liner works here and gives the id of the real paper
    paper = ROOT / "content" / "paper.yaml"
    if not paper.is_file():
        pytest.skip("content/paper.yaml is not there yet")
    command = meta["run"].strip().split(" >> ")[0]
    result = subprocess.run(command.replace("python ", f'"{sys.executable}" ', 1), shell=True, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    expected = yaml.safe_load(paper.read_text(encoding="utf-8"))["deliverable"]
    assert result.stdout.strip() == f"deliverable={expected}"
