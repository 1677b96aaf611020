"""Thematic rounds' results for members: their own section of the scorecard's audit panel, not representative.

Issue 9 (build 4): the quality figure, its interval and its trend use random rounds only; each
thematic round's results (counts by grade, theme grades, actions) are shown apart, labelled as not
representative, frozen in the snapshot and in the committee pack. Counts only, never a percentage:
a share of a chosen set of cases invites the comparison with the random figure that the label
warns against.

Disclosure (``perfsite.disclosure``): each round's grades are one row with its total, each round's
theme grades one table with a total per theme, and its actions the open and closed counts with
their total, each suppressed as a table so no hidden count can be worked back from the totals.
Nothing here is published across rounds, so no margin links one round's table to another's. The
round's title is the theme an officer gave it; no case reference or worker name is read.
"""

from __future__ import annotations

from audits.choices import Grade
from audits.thematic import ThematicRound
from perfsite.disclosure import suppress_row, suppress_table
from perfsite.formatting import count_text
from perfsite.scorecard_panels import SheetLine

NOT_REPRESENTATIVE = (
    "Not representative: thematic rounds audit cases chosen for a theme, not a random sample. Their results "
    "are not part of the quality figure above and cannot be compared with it."
)


def _round(found: ThematicRound) -> dict:
    cells, total = suppress_row([found.counts.by_grade.get(grade.key, 0) for grade in Grade])
    themes = [t for t in found.by_theme if t.audited]
    theme_table = suppress_table(
        [[t.by_grade.get(grade.key, 0) for grade in Grade] for t in themes], row_totals=True, column_totals=False
    )
    actions = suppress_table(
        [[found.open_actions, found.actions - found.open_actions]], row_totals=True, column_totals=False
    )
    return {
        "title": found.title,
        "audited": count_text(total),
        "grades": [count_text(c) for c in cells],
        "themes": [
            {"theme": theme.label, "cells": [count_text(c) for c in row], "total": count_text(theme_total)}
            for theme, row, theme_total in zip(themes, theme_table.cells, theme_table.row_totals or [], strict=True)
        ],
        "actions": count_text(actions.row_totals[0]),
        "open_actions": count_text(actions.cells[0][0]),
    }


def thematic_addition(rounds: list[ThematicRound]) -> dict | None:
    """The panel's "thematic" part: None when no thematic round completed an audit in the quarter (the
    key is then left out, so a snapshot frozen before thematic results were shown compares equal)."""
    if not rounds:
        return None
    return {
        "label": NOT_REPRESENTATIVE,
        "grade_headers": [grade.label for grade in Grade],
        "rounds": [_round(found) for found in rounds],
    }


def _figure(published: str):
    """A published count for the sheet: a number where it is one, the marker as text."""
    plain = published.replace(",", "")
    return int(plain) if plain.isdigit() else published


def sheet_lines(thematic: dict | None) -> list[SheetLine]:
    """The pack's "Audits" sheet: the thematic rounds after the random sample's figures."""
    if not thematic:
        return []
    lines = [SheetLine("blank"), SheetLine("title", ("Thematic rounds",)), SheetLine("text", (thematic["label"],))]
    for found in thematic["rounds"]:
        lines.append(SheetLine("blank"))
        lines.append(SheetLine("label", (found["title"],)))
        lines.append(SheetLine("header", ("Overall grade", *thematic["grade_headers"], "Audited")))
        lines.append(SheetLine("row", ("All audits in the round", *map(_figure, [*found["grades"], found["audited"]]))))
        if found["themes"]:
            lines.append(SheetLine("header", ("Theme", *thematic["grade_headers"], "Graded")))
            for theme in found["themes"]:
                lines.append(SheetLine("row", (theme["theme"], *map(_figure, [*theme["cells"], theme["total"]]))))
        lines.append(SheetLine("label", ("Actions raised", _figure(found["actions"]))))
        lines.append(SheetLine("label", ("Actions still open", _figure(found["open_actions"]))))
    return lines
