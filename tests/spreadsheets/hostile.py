"""Hostile workbooks, built part by part as an attacker would (openpyxl would never write them).

Each builder streams its XML into the ZIP, so a part of hundreds of MB costs the test little
memory; the results are cached, since the large ones take a second or two to compress.
"""
import io
import tracemalloc
import zipfile
from functools import lru_cache
from typing import Callable, Iterable

MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADERS = ("STT", "Họ và tên")


def _relationship(rid: str, kind: str, target: str) -> str:
    return f'<Relationship Id="{rid}" Type="{RELS}/{kind}" Target="{target}"/>'


def workbook(sheet: Iterable[str], strings: Iterable[str] | None = None, styles: str | None = None) -> bytes:
    """An .xlsx of one sheet "Danh sách" whose sheet XML (and shared strings) are the chunks given."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                                'package/2006/content-types"/>')
        archive.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}">'
                                        f'{_relationship("rId1", "officeDocument", "xl/workbook.xml")}</Relationships>')
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
                                            '<sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>')
        relationships = _relationship("rId1", "worksheet", "worksheets/sheet1.xml")
        if strings is not None:
            relationships += _relationship("rId2", "sharedStrings", "sharedStrings.xml")
        if styles is not None:
            relationships += _relationship("rId3", "styles", "styles.xml")
        archive.writestr("xl/_rels/workbook.xml.rels",
                         f'<?xml version="1.0"?><Relationships xmlns="{PACKAGE_RELS}">{relationships}</Relationships>')
        if styles is not None:
            archive.writestr("xl/styles.xml", styles)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", strings)):
            if chunks is not None:
                with archive.open(name, "w", force_zip64=True) as part:
                    for chunk in chunks:
                        part.write(chunk.encode())
    return buffer.getvalue()


def sheet_xml(rows: Iterable[str], head: str = "") -> Iterable[str]:
    yield f'<?xml version="1.0"?><worksheet xmlns="{MAIN}">{head}<sheetData>'
    yield from rows
    yield "</sheetData></worksheet>"


def text_cell(text: str, reference: str = "") -> str:
    where = f' r="{reference}"' if reference else ""
    return f'<c{where} t="inlineStr"><is><t>{text}</t></is></c>'


def header_row(headers: tuple[str, ...] = HEADERS) -> str:
    return '<row r="1">' + "".join(text_cell(h) for h in headers) + "</row>"


def repeated(text: str, times: int, per_chunk: int = 10_000) -> Iterable[str]:
    block = text * per_chunk
    for _ in range(times // per_chunk):
        yield block
    yield text * (times % per_chunk)


@lru_cache(maxsize=None)
def cell_bomb() -> bytes:
    """Under 100 KB: 60,000 rows of a hundred cells (6 million cells, 25 MB of sheet XML)."""
    row = "<row>" + "<c/>" * 100 + "</row>"
    return workbook(sheet_xml([header_row(), *repeated(row, 60_000)]))


@lru_cache(maxsize=None)
def dense_cells(headers: tuple[str, ...] = HEADERS) -> bytes:
    """Small enough once unpacked (5 MB), but 1.2 million empty cells, a hundred a row, under
    the header given (an import's own, so that its header check passes)."""
    row = "<row>" + "<c/>" * 100 + "</row>"
    return workbook(sheet_xml([header_row(headers), *repeated(row, 12_000)]))


@lru_cache(maxsize=None)
def huge_shared_strings() -> bytes:
    """A shared-strings part of 120 MB (2.5 million texts) behind an ordinary header."""
    strings = [f'<?xml version="1.0"?><sst xmlns="{MAIN}">',
               *repeated("<si><t>Nguyễn Văn Hòa, tổ dân phố</t></si>", 2_500_000, per_chunk=100_000), "</sst>"]
    return workbook(sheet_xml([header_row()]), strings=strings)


@lru_cache(maxsize=None)
def many_strings() -> bytes:
    """A million tiny texts (17 MB), more texts than the sheet could ever hold cells."""
    strings = [f'<?xml version="1.0"?><sst xmlns="{MAIN}">', *repeated("<si><t>x</t></si>", 1_000_000), "</sst>"]
    return workbook(sheet_xml([header_row()]), strings=strings)


@lru_cache(maxsize=None)
def wide_header(columns: int = 5000) -> bytes:
    """A header row of thousands of columns."""
    return workbook(sheet_xml(['<row r="1">' + "".join(text_cell(f"Cột {i}") for i in range(columns)) + "</row>"]))


def far_cell(reference: str, headers: tuple[str, ...] = HEADERS) -> bytes:
    """The header, then one cell at `reference` (XFD1, XFD1048576, ...)."""
    row = int("".join(ch for ch in reference if ch.isdigit()))
    rows = [f'<row r="{row}">{text_cell("x", reference)}</row>']
    return workbook(sheet_xml(rows if row == 1 else [header_row(headers), *rows]))


def dimension_lie() -> bytes:
    """A sheet that declares the whole grid (A1:XFD1048576) but holds a header and one row."""
    return workbook(sheet_xml([header_row(), '<row r="2"><c><v>1</v></c>' + text_cell("Nguyễn Văn Hòa") + "</row>"],
                              head='<dimension ref="A1:XFD1048576"/>'))


def entity_bomb() -> bytes:
    """The "billion laughs": shared strings whose DTD expands ten entities into gigabytes."""
    entities = '<!ENTITY a0 "ha">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    strings = [f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]><sst xmlns="{MAIN}"><si><t>&a9;</t></si></sst>']
    return workbook(sheet_xml([header_row()]), strings=strings)


def peak_memory(work: Callable[[], object]) -> tuple[object, float]:
    """(what `work` returned or raised, the peak memory it allocated in MB)."""
    tracemalloc.start()
    try:
        try:
            result = work()
        except Exception as error:  # the refusal is the result
            result = error
        return result, tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
