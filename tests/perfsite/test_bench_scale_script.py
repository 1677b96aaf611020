"""scripts/bench_scale.py: one command line over scripts/bench/, a module for each thing it measures.

The figures in docs/performance.md were printed by this command line, so its options and the shape of
its rows must survive the split; each module keeps to the codebase's size rule.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
ENTRY = SCRIPTS / "bench_scale.py"
OPTIONS = [
    "--audits AUDITS",
    "--lines LINES",
    "--indicators INDICATORS",
    "--import-rows IMPORT_ROWS",
    "--repeat REPEAT",
    "--skip-generate",
    "--skip-pages",
    "--skip-imports",
    "--caseloads-only",
    "--return-lines RETURN_LINES",
    "--result-rows RESULT_ROWS",
    "--quarter-page",
    "--worklist",
    "--preview",
    "--published",
    "--rounds",
    "--skip-pack",
    "--pack-only",
]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ENTRY), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_the_command_line_keeps_every_option_the_docs_use():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    options = result.stdout.split("options:", 1)[1]
    assert [line.split()[0] for line in options.splitlines() if line.startswith("  --")] == [
        option.split()[0] for option in OPTIONS
    ]
    for option in OPTIONS:
        assert option in result.stdout


def test_every_module_of_the_benchmark_is_under_400_lines():
    modules = [ENTRY, *sorted((SCRIPTS / "bench").glob("*.py"))]
    assert len(modules) > 2
    assert {
        path.name: len(path.read_text().splitlines()) for path in modules if len(path.read_text().splitlines()) >= 400
    } == {}


def test_it_refuses_sqlite_after_loading_every_measurement(tmp_path):
    """Every module is imported before Django is asked for the database: a broken import fails here, not at 1M rows."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_DEBUG": "1", "PERFSITE_VAR_DIR": str(tmp_path)}
    result = run("--skip-generate", env=env)
    assert result.returncode == 1
    assert "bench_scale.py measures PostgreSQL" in result.stderr


@pytest.fixture
def common(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPTS))
    import bench.common

    bench.common.ROWS.clear()
    return bench.common


def test_a_row_prints_time_floor_ratio_and_query_count_in_fixed_columns(common, capsys):
    common.report("audit results page", 0.0123, 0.004, "raw SQL", 7, "  12 KiB")
    assert capsys.readouterr().out == (
        "  audit results page                          12.3 ms   floor      4.0 ms (raw SQL           ) "
        "ratio    3.08x  queries    7   12 KiB\n"
    )
    assert common.ROWS == [("audit results page", 0.0123, 0.004, 0.0123 / 0.004, 7)]


def test_a_floor_of_nothing_prints_an_infinite_ratio(common, capsys):
    common.report("committee pack PDF", 1.0, 0.0, "plain table, same cells")
    assert "ratio     infx" in capsys.readouterr().out
