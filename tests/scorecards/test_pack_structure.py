"""The committee pack's document at scale (issue 13 part 6): one section and table per level, every
indicator in the PDF, cells that are one run of text, fixed columns, and the build's steps reported."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

import scorecards.packs
from scorecards.models import CommitteePack
from scorecards.pack_pdf import PDF_STEPS, render_html, render_pdf
from scorecards.packs import build_pack, pack_meta, request_pack
from scorecards.publishing import publish
from scorecards.snapshot import LEVELS
from tests.scorecards.conftest import Q4, quarterly_indicator
from tests.scorecards.pdftext import is_tagged, pdf_text, structure_types

pytestmark = pytest.mark.django_db

FRAMEWORK_LEVELS = ("universal", "early_help", "assessment_safeguarding", "corporate_parenting")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(small_scorecard, officer):
    """The small scorecard and a dozen more indicators spread over every level, targets and trackers."""
    for number in range(12):
        quarterly_indicator(
            f"PACK {number}",
            {"2016-17-q3": "50.0", "2016-17-q4": f"{48 + number}.0"},
            target="55.0" if number % 2 else None,
            kind="target" if number % 2 else "tracker",
            framework_level=FRAMEWORK_LEVELS[number % 4],
            description=f"Percentage of pack things number {number}",
            ref=300 + number,
        )
    return publish(quarter=Q4, user=officer)


def codes_by_level(snapshot: dict) -> dict[str, list[str]]:
    return {section["key"]: [row["code"] for row in section["rows"]] for section in snapshot["sections"]}


class Cells(HTMLParser):
    """Each section's level tables, and every element found inside a cell of the long tables."""

    LONG_TABLES = {"indicators", "appendix-table"}

    def __init__(self):
        super().__init__()
        self.section: list[str] = []
        self.in_long_table = False
        self.cell_depth = 0
        self.inside_cells: set[str] = set()
        self.rows_by_section: dict[str, list[str]] = {}
        self.cols: list[int] = []
        self.header_cells: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section":
            self.section.append(attributes.get("id", ""))
        if tag == "table":
            self.in_long_table = attributes.get("class") in self.LONG_TABLES
            if attributes.get("class") == "indicators":
                self.cols.append(0)
                self.header_cells.append(0)
        if not self.in_long_table:
            return
        if tag == "col" and attributes.get("class") and self.cols and "level-" in self.section[-1]:
            self.cols[-1] += 1
        if self.cell_depth:
            self.inside_cells.add(tag)
        if tag in ("td", "th"):
            self.cell_depth += 1
            self.text = []
            if attributes.get("scope") == "col" and self.header_cells and "level-" in self.section[-1]:
                self.header_cells[-1] += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.section.pop()
        if tag == "table":
            self.in_long_table = False
        if self.in_long_table and tag in ("td", "th"):
            self.cell_depth -= 1
            if tag == "th" and self.section and self.section[-1].startswith("level-"):
                self.rows_by_section.setdefault(self.section[-1], []).append("".join(self.text))

    def handle_data(self, data):
        if self.cell_depth:
            self.text.append(data)


def test_each_level_is_a_section_of_its_own_listing_its_indicators(published):
    html = render_html(published.snapshot, pack_meta(published))
    parser = Cells()
    parser.feed(html)
    expected = codes_by_level(published.snapshot)
    assert set(expected) == {"early_help_universal", "assessment_safeguarding", "corporate_parenting"}
    assert set(expected) <= {key for key, _, _ in LEVELS}
    for key, codes in expected.items():
        assert f'<li class="toc-level"><a href="#level-{key}">' in html
        headers = parser.rows_by_section[f"level-{key}"][5:]  # after the five column headings
        assert [header.split(":")[0] for header in headers] == codes
    assert len(parser.cols) == len(expected) and set(parser.cols) == {5} and set(parser.header_cells) == {5}


def test_cells_of_the_long_tables_are_one_run_of_text(published):
    parser = Cells()
    parser.feed(render_html(published.snapshot, pack_meta(published)))
    # Only the trend's drawing; no <br>, <span>, <strong> or nested table in any cell.
    assert parser.inside_cells <= {"svg", "title", "desc", "g", "path", "circle", "text", "line"}


def test_the_pdf_has_every_indicator_under_its_levels_heading_and_reports_its_steps(published):
    steps = []
    pdf = render_pdf(published.snapshot, pack_meta(published), progress=lambda done, step: steps.append((done, step)))
    assert steps == list(PDF_STEPS.values())
    assert [done for done, _ in steps] == sorted(done for done, _ in steps) and steps[-1][0] < 1
    assert is_tagged(pdf)
    assert {"Sect", "H2", "H3", "Table", "TH", "TD", "Figure"} <= structure_types(pdf)
    text = pdf_text(pdf)
    position = text.index("One section per level of the framework")  # after the contents list
    for section in published.snapshot["sections"]:
        position = text.index(section["label"], position)  # in order, each level's heading
        for row in section["rows"]:
            assert f"{row['code']}: {row['short_description'][:20]}" in text
    for code in (row["code"] for section in published.snapshot["sections"] for row in section["rows"]):
        assert text.count(code) >= 2  # in its level's table and in Appendix 3


def test_a_build_reports_the_pdfs_steps_as_progress(published, member, monkeypatch):
    reported = []
    real_progress = scorecards.packs._progress

    def recording(pack_id, builder, progress, step):
        reported.append((progress, step))
        real_progress(pack_id, builder, progress, step)

    monkeypatch.setattr(scorecards.packs, "_progress", recording)
    request_pack(scorecard=published, user=member)
    # Built here, or already by an eager queue within request_pack (recorded just the same).
    assert build_pack(CommitteePack.objects.get().pk, task_id="t") in ("built", "ready")
    pdf_steps = [step for _, step in reported if step.startswith("Writing the PDF")]
    assert pdf_steps == ["Writing the PDF", *(step for _, step in PDF_STEPS.values())]
    assert [progress for progress, _ in reported] == sorted(progress for progress, _ in reported)
    assert all(15 <= progress <= 60 for progress, step in reported if step.startswith("Writing the PDF"))
