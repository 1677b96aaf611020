"""The committee pack as a spreadsheet (XlsxWriter): the tables with RAG formatting, the key messages
and the data behind every chart, all from the frozen snapshot.

Figures are written as numbers (so they sum and chart in Excel) except ``c``, the suppression marker,
which stays text. RAG cells carry the word and a fill colour, applied by conditional formats so the
colour follows the word if anyone edits the sheet.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal, InvalidOperation

import xlsxwriter

from perfsite.spreadsheet import formula_safe
from scorecards import pack_xlsx_issue14
from scorecards.panels import panel_sections
from scorecards.snapshot import all_charts

RAG_FILLS = {"GREEN": ("#cce2d8", "#005a30"), "AMBER": ("#fff7bf", "#594d00"), "RED": ("#f4cdc6", "#2a0b06")}
_NUMBER = re.compile(r"^-?[\d,]*\.?\d+%?$")


def as_number(text):
    """``"1,234.5"`` -> 1234.5, ``"48.1%"`` -> 48.1; anything else (``c``, labels) unchanged."""
    if not isinstance(text, str) or not _NUMBER.match(text.strip()):
        return text
    try:
        return Decimal(text.strip().replace(",", "").rstrip("%"))
    except InvalidOperation:
        return text


class Book:
    def __init__(self, stream):
        # Text stays text however it begins (see perfsite.spreadsheet): no cell of the pack is a formula.
        self.workbook = xlsxwriter.Workbook(
            stream, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
        )
        wb = self.workbook
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.bold = wb.add_format({"bold": True})
        self.header = wb.add_format({"bold": True, "bottom": 2, "text_wrap": True, "valign": "top"})
        self.wrap = wb.add_format({"text_wrap": True, "valign": "top"})
        self.theme = wb.add_format({"bold": True, "bg_color": "#f3f2f1"})
        self.rag = {rag: wb.add_format({"bg_color": fill, "font_color": font, "bold": True})
                    for rag, (fill, font) in RAG_FILLS.items()}  # fmt: skip
        self.decimals = {}

    def number_format(self, decimals: int):
        if decimals not in self.decimals:
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            self.decimals[decimals] = self.workbook.add_format({"num_format": pattern, "valign": "top"})
        return self.decimals[decimals]

    def write(self, sheet, row: int, col: int, value, fmt=None) -> None:
        value = as_number(value) if isinstance(value, str) else value
        if isinstance(value, Decimal):
            places = max(0, -value.as_tuple().exponent) if isinstance(value.as_tuple().exponent, int) else 0
            sheet.write_number(row, col, float(value), fmt or self.number_format(places))
        elif isinstance(value, int) and not isinstance(value, bool):
            sheet.write_number(row, col, value, fmt or self.number_format(0))
        elif value is None:
            sheet.write_blank(row, col, None, fmt)
        else:
            self.text(sheet, row, col, str(value), fmt or self.wrap)

    def text(self, sheet, row: int, col: int, text: str, fmt=None) -> None:
        sheet.write_string(row, col, formula_safe(text), fmt)

    def rag_formats(self, sheet, first_row: int, last_row: int, columns: list[int]) -> None:
        if last_row < first_row:
            return
        for col in columns:
            for rag, fmt in self.rag.items():
                sheet.conditional_format(
                    first_row,
                    col,
                    last_row,
                    col,
                    {"type": "cell", "criteria": "==", "value": f'"{rag}"', "format": fmt},
                )


def _summary(book: Book, snapshot: dict, meta: dict) -> None:
    sheet = book.workbook.add_worksheet("Summary")
    sheet.set_column(0, 0, 38)
    sheet.set_column(1, 4, 16)
    book.text(sheet, 0, 0, f"{snapshot['council']}: children and young people's performance scorecard", book.title)
    book.text(sheet, 1, 0, snapshot["quarter"]["label"], book.bold)
    book.text(sheet, 2, 0, f"Published {meta['published_on']}, version {meta['version']}")
    book.text(sheet, 3, 0, f"Fingerprint of the published data: {meta['sha256']}")
    row = 5
    headline = snapshot["headline"]
    for col, text in enumerate(["Rating", "Indicators", headline["previous_quarter"], "Change since last quarter"]):
        book.text(sheet, row, col, text, book.header)
    for rag in ("RED", "AMBER", "GREEN", "NA"):
        row += 1
        book.text(sheet, row, 0, rag, book.rag.get(rag))
        book.write(sheet, row, 1, headline["counts"][rag])
        book.write(sheet, row, 2, headline["previous_counts"][rag])
        book.write(sheet, row, 3, headline["change"][rag])
    row += 2
    if headline["moves"]:
        book.text(sheet, row, 0, f"Ratings that changed since {headline['previous_quarter']}", book.bold)
        row += 1
        for col, text in enumerate(["Indicator", "Description", "From", "To", "Direction"]):
            book.text(sheet, row, col, text, book.header)
        first = row + 1
        for move in headline["moves"]:
            row += 1
            for col, key in enumerate(["code", "description", "from", "to", "direction"]):
                book.write(sheet, row, col, move[key])
        book.rag_formats(sheet, first, row, [2, 3])
        row += 2
    if meta.get("amendments"):
        book.text(sheet, row, 0, "Amendments", book.bold)
        row += 1
        for col, text in enumerate(["Amendment", "Published", "Reason", "What changed"]):
            book.text(sheet, row, col, text, book.header)
        for amendment in meta["amendments"]:
            row += 1
            book.write(sheet, row, 0, amendment["version"] - 1)
            book.write(sheet, row, 1, amendment["published_on"])
            book.write(sheet, row, 2, amendment["reason"])
            book.write(sheet, row, 3, " ".join(amendment["changes"]))
        row += 2
    book.text(sheet, row, 0, "About these figures", book.bold)
    book.text(sheet, row + 1, 0, snapshot["disclosure"], book.wrap)


def _key_messages(book: Book, snapshot: dict) -> None:
    sheet = book.workbook.add_worksheet("Key messages")
    widths = [34, 18, 12, 14, 90, 60]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    headers = ["Level", "Kind", "Indicator", "Rating", "Key message", "Officer commentary"]
    for col, text in enumerate(headers):
        book.text(sheet, 0, col, text, book.header)
    row = 0
    for group in snapshot["key_messages"]:
        for part, label in (("issues", "Key performance issue"), ("others", "Other message")):
            for message in group[part]:
                row += 1
                commentary = message["commentary"]["text"] if message.get("commentary") else ""
                values = [group["label"], label, message["code"], message["rag"], message["text"], commentary]
                for col, value in enumerate(values):
                    book.write(sheet, row, col, value)
        for item in group.get("not_reported", []):
            row += 1
            values = [group["label"], "No figure this quarter", item["code"], "NA", item["description"], ""]
            for col, value in enumerate(values):
                book.write(sheet, row, col, value)
    book.rag_formats(sheet, 1, row, [3])
    sheet.autofilter(0, 0, max(row, 1), len(headers) - 1)
    sheet.freeze_panes(1, 0)


CELL_COLUMNS = (
    ("latest", "Latest"),
    ("target", "Target"),
    ("previous", "Previous period"),
    ("twelve_months_earlier", "12 months earlier"),
    ("national", "National"),
    ("regional", "Regional"),
    ("statistical_neighbours", "Statistical neighbours"),
)


def _indicators(book: Book, snapshot: dict) -> None:
    sheet = book.workbook.add_worksheet("Indicators")
    headers = ["Level", "Ref", "PI ref", "Description", "Kind", "Polarity", "Unit", "Rating"]
    rag_columns = [7]
    for name, label in CELL_COLUMNS:
        headers += [label, f"{label}: period"]
        if name != "latest":
            headers.append(f"{label}: RAG")
            rag_columns.append(len(headers) - 1)
    headers += ["Numerator / denominator", "Footnotes", "Out of date", "Not rated because", "Latest: source"]
    for col, text in enumerate(headers):
        book.text(sheet, 0, col, text, book.header)
    sheet.set_column(3, 3, 60)
    row = 0
    for section in snapshot["sections"]:
        for item in section["rows"]:
            row += 1
            values = [section["label"], item["ref"], item["code"], item["description"], item["kind_label"],
                      item["polarity_label"], item["unit_label"], item["headline_rag"]]  # fmt: skip
            for name, _ in CELL_COLUMNS:
                cell = item[name]
                values += [cell["display"] or None, cell["period"] or None]
                if name != "latest":
                    values.append(cell["rag"])
            values += [item["basis"] or None, " ".join(item["footnotes"]) or None]
            # Snapshots published before issue 9 have no staleness or provenance: left empty.
            values += [
                "Out of date" if item.get("out_of_date") else None,
                item.get("rating_note") or None,
                item.get("sources", {}).get("latest") or None,
            ]
            for col, value in enumerate(values):
                book.write(sheet, row, col, value)
    book.rag_formats(sheet, 1, row, rag_columns)
    sheet.autofilter(0, 0, max(row, 1), len(headers) - 1)
    sheet.freeze_panes(1, 3)


def _appendix(book: Book, snapshot: dict) -> None:
    for table in snapshot["appendix"]:
        sheet = book.workbook.add_worksheet(f"Appendix 3 table {table['number']}")
        book.text(sheet, 0, 0, table["title"], book.title)
        headers = [
            "Ref",
            "PI ref",
            "Description",
            "Latest data",
            "Period covered",
            table["comparator_heading"],
            table["comparator_rag_heading"],
            "Data 12 months earlier",
            "Performance compared to 12 months earlier",
            "National figure",
            "National RAG",
            f"*{snapshot['region']} / **Nearest statistical neighbour figure",
            "RAG",
            "Period covered",
        ]
        for col, text in enumerate(headers):
            book.text(sheet, 2, col, text, book.header)
        sheet.set_column(2, 2, 60)
        sheet.set_column(3, 13, 14)
        row = 2
        for group in table["themes"]:
            row += 1
            sheet.merge_range(row, 0, row, len(headers) - 1, formula_safe(group["theme"]), book.theme)
            for item in group["rows"]:
                row += 1
                description = item["description"] + "".join(f" [{m}]" for m in item["marks"])
                other = item["other_benchmark"]
                national, latest = item["national"], item["latest"]
                values = [
                    item["ref"],
                    item["code"],
                    description,
                    latest["display"] or "NA",
                    latest["period"] + (", out of date" if item.get("out_of_date") else ""),
                    item["comparator"]["display"] or "NA",
                    item["comparator"]["rag"],
                    item["twelve_months_earlier"]["display"] or "NA",
                    item["twelve_months_earlier"]["rag"],
                    national["display"] or None,
                    national["rag"] if national["display"] else None,
                    (other["display"] + item["other_mark"]) if other["display"] else None,
                    other["rag"] if other["display"] else None,
                    item["benchmark_period"] or None,
                ]
                for col, value in enumerate(values):
                    book.write(sheet, row, col, value)
        book.rag_formats(sheet, 3, row, [6, 8, 10, 12])
        row += 2
        for note in table["footnotes"]:
            book.text(sheet, row, 0, f"[{note['number']}] {note['text']}")
            row += 1
        sheet.freeze_panes(3, 3)


def _panel_tables(book: Book, snapshot: dict) -> None:
    """A sheet per panel, laid out by the app that provides it (``ScorecardPanel.sheet``)."""
    for section in panel_sections(snapshot):
        lines = section["sheet"](section["data"])
        sheet = book.workbook.add_worksheet(section["sheet_name"])
        width = max((len(line.cells) for line in lines), default=1)
        sheet.set_column(0, 0, 40)
        if width > 1:
            sheet.set_column(1, width - 1, 16)
        for row, line in enumerate(lines):
            if line.kind == "title":
                book.text(sheet, row, 0, line.cells[0], book.title)
            elif line.kind == "text":
                book.text(sheet, row, 0, line.cells[0], book.wrap)
            elif line.kind == "header":
                for col, text in enumerate(line.cells):
                    book.text(sheet, row, col, text, book.header)
            elif line.kind == "label":
                book.text(sheet, row, 0, line.cells[0], book.bold)
                for col, value in enumerate(line.cells[1:], start=1):
                    book.write(sheet, row, col, value)
            elif line.kind == "row":
                for col, value in enumerate(line.cells):
                    book.write(sheet, row, col, value)


def _chart_data(book: Book, snapshot: dict) -> None:
    sheet = book.workbook.add_worksheet("Chart data")
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 8, 16)
    row = 0
    for chart in all_charts(snapshot):
        book.text(sheet, row, 0, chart["title"], book.title)
        book.text(sheet, row + 1, 0, chart["description"], book.wrap)
        row += 2
        for col, text in enumerate(chart["table_headers"]):
            book.text(sheet, row, col, text, book.header)
        for data_row in chart["table_rows"]:
            row += 1
            for col, value in enumerate(data_row):
                book.write(sheet, row, col, value)
        row += 3


def render_xlsx(snapshot: dict, meta: dict) -> bytes:
    stream = io.BytesIO()
    book = Book(stream)
    book.workbook.set_properties(
        {
            "title": f"Children and young people's performance scorecard, {snapshot['quarter']['label']}",
            "author": snapshot["council"],
            "company": snapshot["council"],
            "comments": "Aggregates only; counts from 1 to 5 are shown as c.",
        }
    )
    _summary(book, snapshot, meta)
    _key_messages(book, snapshot)
    _indicators(book, snapshot)
    _appendix(book, snapshot)
    _panel_tables(book, snapshot)
    pack_xlsx_issue14.sample_sheet(book, snapshot)
    pack_xlsx_issue14.actions_sheet(book, snapshot)
    _chart_data(book, snapshot)
    book.workbook.close()
    return stream.getvalue()
