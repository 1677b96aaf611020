"""manage.py build_pack --quarter 2016-17-q4 --out DIR builds the PDF and the XLSX synchronously."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from scorecards.publishing import publish
from tests.scorecards.conftest import Q3, Q4
from tests.scorecards.pdftext import is_tagged, pdf_text

pytestmark = pytest.mark.django_db


def test_build_pack_writes_both_files(small_scorecard, officer, tmp_path):
    publish(quarter=Q4, user=officer)
    out = io.StringIO()
    call_command("build_pack", "--quarter", "2016-17-q4", "--out", str(tmp_path / "pack"), stdout=out)
    files = sorted(p.name for p in (tmp_path / "pack").iterdir())
    assert files == ["children-scorecard-2016-17-q4-v1.pdf", "children-scorecard-2016-17-q4-v1.xlsx"]
    pdf = (tmp_path / "pack" / files[0]).read_bytes()
    assert is_tagged(pdf) and "Quarter 4 2016/17" in pdf_text(pdf)
    book = openpyxl.load_workbook(tmp_path / "pack" / files[1])
    assert "Key messages" in book.sheetnames
    assert "PDF: " in out.getvalue() and "XLSX: " in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2016-17-q3"], "has not been published"),
        (["--quarter", "2016-17"], "is not a quarter"),
        (["--quarter", "2016-17-q4", "--published-version", "2"], "has no published version 2"),
    ],
)
def test_build_pack_refuses_what_it_cannot_build(small_scorecard, officer, tmp_path, args, message):
    publish(quarter=Q4, user=officer)
    with pytest.raises(CommandError, match=message):
        call_command("build_pack", *args, "--out", str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_build_pack_of_an_earlier_quarter(small_scorecard, officer, tmp_path):
    publish(quarter=Q3, user=officer)
    call_command("build_pack", "--quarter", Q3.slug, "--out", str(tmp_path), stdout=io.StringIO())
    assert {p.suffix for p in tmp_path.iterdir()} == {".pdf", ".xlsx"}
