"""The committee pack's document at scale (issue 13 part 6): one section per level carrying its key
messages and its rows of Appendix 3, every indicator one row of one long table, cells that are one
run of text, fixed columns, and the build's steps reported."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import unquote

import pydyf
import pytest

import scorecards.packs
from scorecards.models import CommitteePack
from scorecards.pack_pdf import PDF_STEPS, RememberedPageReferences, render_html, render_pdf
from scorecards.packs import build_pack, pack_meta, request_pack
from scorecards.publishing import publish
from scorecards.snapshot import LEVELS
from tests.scorecards.conftest import Q4, quarterly_indicator
from tests.scorecards.pdftext import figure_alts, is_tagged, pdf_text, structure_types

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


def appendix_codes(snapshot: dict, *, kind: str) -> list[str]:
    """Appendix 3's rows of one table (targets or trackers), in the council's theme order."""
    (table,) = (table for table in snapshot["appendix"] if table["kind"] == kind)
    return [row["code"] for group in table["themes"] for row in group["rows"]]


class Cells(HTMLParser):
    """The long tables' rows (their row headers) by section and table kind, the paragraphs of each
    level's section, and every element found inside a cell of a long table."""

    def __init__(self):
        super().__init__()
        self.section: list[str] = []
        self.in_long_table = False
        self.caption = ""
        self.in_caption = False
        self.cell_depth = 0
        self.images: list[dict] = []  # each <img> inside a long table's cell, its attributes
        self.row_header = False
        self.in_message = False
        self.inside_cells: set[str] = set()
        self.rows: list[tuple[str, str, str]] = []  # (section, table caption, row header text)
        self.messages: dict[str, list[str]] = {}
        self.cols: list[int] = []
        self.header_cells: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section":
            self.section.append(attributes.get("id", ""))
        if tag == "p" and "message" in (attributes.get("class") or "").split():
            self.in_message, self.text = True, []
        if tag == "table":
            self.in_long_table = attributes.get("class") == "indicators"
            if self.in_long_table:
                self.cols.append(0)
                self.header_cells.append(0)
        if not self.in_long_table:
            return
        if tag == "caption":
            self.in_caption, self.text = True, []
        if tag == "col" and attributes.get("class"):
            self.cols[-1] += 1
        if self.cell_depth:
            self.inside_cells.add(tag)
            if tag == "img":
                self.images.append(attributes)
        if tag in ("td", "th"):
            self.cell_depth += 1
            self.text = []
            self.row_header = tag == "th" and attributes.get("scope") == "row"
            if attributes.get("scope") == "col":
                self.header_cells[-1] += 1

    def handle_endtag(self, tag):
        if tag == "section":
            self.section.pop()
        if tag == "p" and self.in_message:
            self.in_message = False
            self.messages.setdefault(self.section[-1], []).append("".join(self.text))
        if tag == "table":
            self.in_long_table = False
        if self.in_long_table and tag == "caption":
            self.in_caption, self.caption = False, "".join(self.text)
        if self.in_long_table and tag in ("td", "th"):
            self.cell_depth -= 1
            if self.row_header:
                self.rows.append((self.section[-1], self.caption, "".join(self.text)))
                self.row_header = False

    def handle_data(self, data):
        if self.cell_depth or self.in_caption or self.in_message:
            self.text.append(data)


def parsed(published) -> tuple[str, Cells]:
    html = render_html(published.snapshot, pack_meta(published))
    parser = Cells()
    parser.feed(html)
    return html, parser


def test_each_indicator_is_one_row_of_appendix_3_in_its_levels_section(published):
    html, parser = parsed(published)
    expected = codes_by_level(published.snapshot)
    assert set(expected) == {"early_help_universal", "assessment_safeguarding", "corporate_parenting"}
    assert set(expected) <= {key for key, _, _ in LEVELS}
    # One row per indicator in the whole document: Appendix 3 is no longer printed a second time.
    codes = [header.split(" (")[0] for _, _, header in parser.rows]
    assert sorted(codes) == sorted(code for level in expected.values() for code in level)
    for key, level_codes in expected.items():
        assert f'<li class="toc-level"><a href="#level-{key}">' in html
        assert f'<a href="#level-{key}">' in html.split('<section id="appendix-3"', 1)[1]  # Appendix 3 points here
        in_level = [
            (caption, header.split(" (")[0]) for section, caption, header in parser.rows if section == f"level-{key}"
        ]
        assert sorted(code for _, code in in_level) == sorted(level_codes)
        for kind, title in (
            ("target", "Table 1: Key target indicators"),
            ("tracker", "Table 2: Key tracker indicators"),
        ):
            # Each level's rows of Table 1 and Table 2, in Appendix 3's own order, under that table's title.
            rows = [code for caption, code in in_level if title in caption]
            assert rows == [code for code in appendix_codes(published.snapshot, kind=kind) if code in level_codes]
    # Fixed columns: ten <col> widths and ten column headings in every long table.
    assert len(parser.cols) >= len(expected) and set(parser.cols) == {10} and set(parser.header_cells) == {10}


def test_each_levels_key_messages_are_in_its_section(published):
    _, parser = parsed(published)
    for group in published.snapshot["key_messages"]:
        shown = parser.messages[f"level-{group['key']}"]
        messages = [*group["issues"], *group["others"]]
        assert len(shown) == len(messages) > 0
        assert all(
            f"{message['code']}: {message['text']}" in text for message, text in zip(messages, shown, strict=True)
        )


def test_cells_of_the_long_tables_are_one_run_of_text(published):
    _, parser = parsed(published)
    assert parser.rows
    # Only the trend's image; no <br>, <span>, <strong>, inline <svg> or nested table in any cell.
    assert parser.inside_cells == {"img"}


def test_each_trend_is_one_image_of_its_sparkline_with_its_title_as_alt_text(published):
    """A sparkline inline was six elements for the parser and the cascade; as an image it is one,
    drawing the same SVG, with the same text alternative in the PDF (the SVG's title)."""
    _, parser = parsed(published)
    sparklines = [row["sparkline"] for section in published.snapshot["sections"] for row in section["rows"]]
    sparklines = [chart for chart in sparklines if chart]
    assert len(parser.images) == len(sparklines) > 10
    by_title = {chart["title"]: chart["svg"] for chart in sparklines}
    for image in parser.images:
        prefix, _, svg = image["src"].partition(",")
        assert prefix == "data:image/svg+xml"
        assert unquote(svg) == by_title[image["alt"]]


@pytest.mark.parametrize("pages", [1, 2, 7, 100])
def test_page_references_are_built_once_per_page_added(pages):
    """WeasyPrint reads pydyf's page references once per tagged element; pydyf built them each time."""
    builds = []

    def built(pdf):
        builds.append(len(pdf.pages["Kids"]))
        return tuple(f"{number} 0 R".encode() for number in pdf.pages["Kids"][::3])

    class Counted(pydyf.PDF):
        page_references = RememberedPageReferences(property(built))

    pdf = Counted()
    for page in range(pages):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        expected = tuple(f"{number} 0 R".encode() for number in pdf.pages["Kids"][::3])
        assert [pdf.page_references for _ in range(50)] == [expected] * 50
        assert len(expected) == page + 1
    assert len(builds) == pages


def test_the_pdf_has_every_indicator_under_its_levels_heading_and_reports_its_steps(published):
    steps = []
    pdf = render_pdf(published.snapshot, pack_meta(published), progress=lambda done, step: steps.append((done, step)))
    assert steps == list(PDF_STEPS.values())
    assert [done for done, _ in steps] == sorted(done for done, _ in steps) and steps[-1][0] < 1
    assert is_tagged(pdf)
    assert {"Sect", "H2", "H3", "Table", "TH", "TD", "Figure"} <= structure_types(pdf)
    assert isinstance(pydyf.PDF.page_references, RememberedPageReferences)
    # Every trend is a figure whose text alternative is its sparkline's title, as when inline.
    shown = [row for section in published.snapshot["sections"] for row in section["rows"]]
    titles = [row["sparkline"]["title"] for row in shown if row.get("sparkline")]
    assert set(titles) <= set(figure_alts(pdf))
    text = pdf_text(pdf)
    position = text.index("One section per level of the framework")  # after the contents list
    sections = published.snapshot["sections"]
    for number, section in enumerate(sections):
        position = text.index(section["label"], position)  # in order, each level's heading
        following = sections[number + 1]["label"] if number + 1 < len(sections) else "Appendix 3: summary"
        end = text.index(following, position)  # the next level's heading (or the appendix)
        for row in section["rows"]:
            # Its row in this level's table, and only there: the code, the ref, then the description.
            row_text = f"{row['code']} ({row['ref']}) {row['description'][:20]}"
            assert position < text.index(row_text, position) < end and text.count(row_text) == 1
    assert "Appendix 3: summary of key performance indicators" in text
    assert "Table 1: Key target indicators" in text and "Table 2: Key tracker indicators" in text


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
