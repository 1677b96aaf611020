"""Supply chain checks in CI (issue 12, finding 13): ``scripts/supply-chain``, run by ``.ci/run``.

bandit passes on the code (medium severity and above; reviewed exceptions carry ``# nosec``), and
pip-audit is either answered or plainly reported as not run, never as "no vulnerabilities". The
pip-audit cases run the script with a stand-in ``pip-audit`` that writes a given report, so no
network is needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "supply-chain"
UNREACHABLE = "http://127.0.0.1:1/"

pytestmark = pytest.mark.slow


def _run(bin_dir: Path, probe: str = UNREACHABLE) -> subprocess.CompletedProcess:
    env = {**os.environ, "BIN": str(bin_dir), "PIP_AUDIT_PROBE_URL": probe}
    return subprocess.run([str(SCRIPT)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def _fake_bin(tmp_path: Path, report: dict | None) -> Path:
    """bandit passes; python is this one; pip-audit writes ``report`` (exit 1 when it lists a vulnerability)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    (bin_dir / "bandit").write_text("#!/bin/sh\nexit 0\n")
    vulnerable = bool(report) and any(d.get("vulns") for d in report["dependencies"])
    (bin_dir / "pip-audit").write_text(
        "#!/bin/sh\n"
        'while [ "$#" -gt 0 ]; do [ "$1" = "--output" ] && out=$2; shift; done\n'
        f"cat > \"$out\" <<'JSON'\n{json.dumps(report)}\nJSON\n"
        f"exit {1 if vulnerable else 0}\n"
    )
    for tool in ("bandit", "pip-audit"):
        (bin_dir / tool).chmod(0o755)
    return bin_dir


def test_bandit_passes_and_pip_audit_says_not_run_when_the_service_is_unreachable():
    result = _run(ROOT / ".venv" / "bin")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "bandit: no unreviewed finding" in result.stdout
    assert "pip-audit: not run (advisory service unreachable)" in result.stdout
    assert "No known vulnerabilities" not in result.stdout


def test_a_known_vulnerability_fails(tmp_path):
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.0", "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"]}]},
            {"name": "celery", "version": "5.5.0", "vulns": []},
        ]
    }
    result = _run(_fake_bin(tmp_path, report), probe=SCRIPT.as_uri())
    assert result.returncode == 1
    assert "django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in result.stdout
    assert "pip-audit: 1 of 2 audited dependencies have known vulnerabilities" in result.stdout


def test_versions_the_service_does_not_know_are_not_reported_as_safe(tmp_path):
    report = {"dependencies": [{"name": "django", "version": "5.2.19", "skip_reason": "Dependency not found on PyPI"}]}
    result = _run(_fake_bin(tmp_path, report), probe=SCRIPT.as_uri())
    assert result.returncode == 0
    assert "pip-audit: not run (the advisory service has no record of any pinned version)" in result.stdout


def test_a_clean_audit_passes_naming_what_was_not_audited(tmp_path):
    report = {
        "dependencies": [
            {"name": "celery", "version": "5.5.0", "vulns": []},
            {"name": "django", "version": "5.2.19", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    result = _run(_fake_bin(tmp_path, report), probe=SCRIPT.as_uri())
    assert result.returncode == 0
    assert "no known vulnerabilities in 1 audited dependencies; not audited: django 5.2.19" in result.stdout


def test_ci_runs_the_supply_chain_checks_and_they_are_dependencies():
    assert "\nscripts/supply-chain\n" in (ROOT / ".ci" / "run").read_text()
    requirements = (ROOT / "requirements.in").read_text()
    assert "bandit" in requirements and "pip-audit" in requirements
