"""Formula-like text, and the checks that a written file holds it as text and nothing runs."""
import csv
import io
import zipfile

from openpyxl import load_workbook

# What a user (or an imported file) could type to make a spreadsheet run something.
HOSTILE = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "  =1", "＝1")


def formula_like(text: str) -> bool:
    """Written here again, not imported, so that the writer's own rule is what is tested."""
    return text[:1] in ("\t", "\r", "\n") or text.lstrip(" \t\r\n\u00a0\u3000")[:1] in set("=+-@＝＋－＠")


def assert_text_only(data: bytes, expected=HOSTILE) -> None:
    """No cell of any sheet is a formula; each `expected` value is a text cell, unchanged; every
    formula-like text is flagged with Excel's quote prefix (editing the cell keeps it text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    book = load_workbook(io.BytesIO(data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c for c in cells if isinstance(c.value, str)]
    assert [c.coordinate for c in texts if formula_like(c.value) and not c.quotePrefix] == []
    for value in expected:
        found = [c for c in cells if c.value == value]
        assert found, f"{value!r} is not in the file"
        for cell in found:
            assert cell.data_type == "s" and isinstance(cell.value, str) and cell.quotePrefix, (value, cell.coordinate)


def assert_csv_neutralised(data: bytes, expected=HOSTILE) -> list[list[str]]:
    """Each `expected` value is written behind an apostrophe, and nothing formula-like is bare."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    values = [v for row in rows for v in row]
    for value in expected:
        assert "'" + value in values, f"{value!r} is not neutralised"
    assert not [v for v in values if formula_like(v) and not _number(v)], values
    return rows


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
