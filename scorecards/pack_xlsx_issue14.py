"""The pack's sheets for members' two standing questions: is the audit sample representative, and what
is being done about each performance issue. Both read keys that snapshots published before them lack,
and add nothing then."""

from __future__ import annotations


def sample_sheet(book, snapshot: dict) -> None:
    sample = (snapshot.get("audit") or {}).get("sample")
    if not sample:
        return
    sheet = book.workbook.add_worksheet("Audit sample")
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 6, 14)
    book.text(sheet, 0, 0, "Is the audit sample representative?", book.title)
    book.text(sheet, 1, 0, sample["message"], book.wrap)
    row = 2
    if sample.get("thematic_note"):
        book.text(sheet, row, 0, sample["thematic_note"], book.wrap)
        row += 1
    headers = ["Open cases", "Share", "Sampled", "Share", "Expected", "Flag"]
    keys = ["population", "population_share", "sample", "sample_share", "expected", "flag"]
    for dimension in sample["dimensions"]:
        row += 1
        heading = f"By {dimension['label'].lower()}: {dimension['verdict']} ({dimension['test']})"
        book.text(sheet, row, 0, heading, book.bold)
        row += 1
        book.text(sheet, row, 0, dimension["method"], book.wrap)
        row += 1
        for col, text in enumerate([dimension["label"], *headers]):
            book.text(sheet, row, col, text, book.header)
        for item in dimension["rows"]:
            row += 1
            book.write(sheet, row, 0, item["label"])
            for col, key in enumerate(keys, start=1):
                book.write(sheet, row, col, item[key])
        row += 1


def actions_sheet(book, snapshot: dict) -> None:
    actions = snapshot.get("actions")
    if actions is None:
        return
    sheet = book.workbook.add_worksheet("Actions")
    widths = [14, 70, 30, 16, 14, 10]
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    headers = ["PI ref", "What will be done", "Owner", "Due", "Status", "Overdue"]
    for col, text in enumerate(headers):
        book.text(sheet, 0, col, text, book.header)
    for row, item in enumerate(actions["all"], start=1):
        values = [item["code"], item["what"], item["owner"], item["due_on"], item["status_label"]]
        for col, value in enumerate(values):
            book.text(sheet, row, col, str(value), book.wrap)
        book.text(sheet, row, 5, "Yes" if item["overdue"] else "No", book.wrap)
    sheet.freeze_panes(1, 0)
