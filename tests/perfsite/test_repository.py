"""Comments and docs refer only to files in the repository, and the ones they name exist.

The domain rules the code relies on are stated in docs/ (docs/domain.md and each app's page);
nothing may send a reader, or a test, to a file beside the project that a clone does not have.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".git", ".venv", "node_modules", "var", "build", "govuk", "__pycache__", ".hypothesis"}
TEXT_SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".js", ".mjs", ".scss", ".cfg", ".in"}
# Built from pieces so this file does not match itself.
OUTSIDE = [
    "DESIGN" + ".md",
    "BASE_DIR" + ".parent",
    "../" + "shared",
    "parent / " + '"shared"',
]
DOC_REFERENCE = re.compile(r"docs/[\w./-]+?\.md")


def text_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS for part in relative.parts[:-1]) or "migrations" in relative.parts:
            continue
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield relative, path.read_text(encoding="utf-8", errors="replace")


def test_nothing_cites_or_reads_a_file_outside_the_repository():
    found = [
        f"{relative}:{number}: {marker}"
        for relative, text in text_files()
        for number, line in enumerate(text.splitlines(), start=1)
        for marker in OUTSIDE
        if marker in line
    ]
    assert found == [], "state the rule in docs/ and point there instead"


def test_every_doc_the_code_and_docs_name_exists():
    missing = sorted(
        f"{relative}: {name}"
        for relative, text in text_files()
        for name in set(DOC_REFERENCE.findall(text))
        if not (ROOT / name).is_file()
    )
    assert missing == []


def map_rows() -> list[str]:
    text = (ROOT / "docs" / "where-each-rule-lives.md").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| rule ")]


@pytest.mark.parametrize("row", map_rows(), ids=lambda r: r[2:40])
def test_the_rule_map_names_modules_that_exist(row):
    """Every row names real files and folders."""
    paths = [p for p in re.findall(r"`([\w./-]+)`", row) if "/" in p and not p.startswith("[")]
    assert paths, row
    for name in paths:
        assert (ROOT / name).exists(), f"{name} (in: {row[:60]}...)"


def test_every_decision_record_is_listed_in_the_index():
    decisions = ROOT / "docs" / "decisions"
    index = (decisions / "README.md").read_text(encoding="utf-8")
    unlisted = [p.name for p in sorted(decisions.glob("[0-9][0-9][0-9][0-9]-*.md")) if f"({p.name})" not in index]
    assert unlisted == [], "add these to docs/decisions/README.md"
