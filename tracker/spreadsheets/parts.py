"""The parts of an .xlsx a reader needs, each parsed as a stream of expat events with the
reader's limits and clock checked as it goes (see tracker.spreadsheets.reader)."""
import posixpath
import zipfile
from typing import Iterator
from xml.etree.ElementTree import XMLParser

from flask_babel import lazy_gettext as _l
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601

from tracker.spreadsheets.limits import (
    CHUNK,
    FIRST_CUSTOM_FORMAT,
    MAX_CELL_FORMATS,
    MAX_SHEETS,
    Limits,
    WorkbookRefused,
    _Clock,
    _unreadable,
)


def _local(tag: str) -> str:
    return tag[tag.rfind("}") + 1:]


_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
               "http://purl.oclc.org/ooxml/spreadsheetml/main")  # transitional and strict


def _tag(local: str) -> frozenset[str]:
    """Every spelling of a SpreadsheetML element as the parser names it (cheaper than splitting
    each tag, which counts when a part holds millions of elements)."""
    return frozenset([local] + [f"{{{namespace}}}{local}" for namespace in _NAMESPACES])


C, V, T, IS, RPH, ROW, SHEET_DATA, SI = (_tag(n) for n in ("c", "v", "t", "is", "rPh", "row", "sheetData", "si"))
NUM_FMTS, NUM_FMT, CELL_XFS, XF = (_tag(n) for n in ("numFmts", "numFmt", "cellXfs", "xf"))


class _Target:
    """An expat target that builds nothing: subclasses keep what they need. Any DTD is
    refused, since its entities could expand a small part into a huge one."""

    def doctype(self, name, pubid, system):
        raise _unreadable()

    def start(self, tag, attrib):
        pass

    def end(self, tag):
        pass

    def data(self, text):
        pass

    def close(self):
        return None


def _stream(archive: zipfile.ZipFile, part: str, target: _Target, clock: _Clock) -> Iterator[None]:
    """Feed `part` to `target` a chunk at a time, yielding after each chunk (the caller drains
    what the target gathered) and checking the clock. Stops early when the target is done."""
    parser = XMLParser(target=target)
    with archive.open(part) as stream:
        while not getattr(target, "done", False):
            chunk = stream.read(CHUNK)
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            clock.check()
            yield
            if not chunk:
                break


def _parse(archive, part, target, clock):
    for _ in _stream(archive, part, target, clock):
        pass
    return target


class _Relationships(_Target):
    def __init__(self):
        self.targets: list[tuple[str, str, str]] = []  # (id, type, target)

    def start(self, tag, attrib):
        if _local(tag) == "Relationship" and attrib.get("TargetMode") != "External":
            if len(self.targets) >= MAX_SHEETS * 2:
                raise _unreadable()
            self.targets.append((attrib.get("Id", ""), attrib.get("Type", ""), attrib.get("Target", "")))


class _WorkbookPart(_Target):
    def __init__(self):
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)
        self.active_index = None
        self.date1904 = False

    def start(self, tag, attrib):
        local = _local(tag)
        if local == "sheet":
            if len(self.sheets) >= MAX_SHEETS:
                raise _unreadable()
            rid = next((v for k, v in attrib.items() if _local(k) == "id"), "")
            self.sheets.append((attrib.get("name", ""), rid))
        elif local == "workbookView" and self.active_index is None:
            self.active_index = int(attrib.get("activeTab", "0") or 0)
        elif local == "workbookPr":
            self.date1904 = attrib.get("date1904", "").lower() in ("1", "true")


class _Styles(_Target):
    """Which cell formats (indexes of cellXfs) show numbers as dates or durations."""

    def __init__(self):
        self.custom: dict[int, tuple[bool, bool]] = {}  # only the formats that matter
        self.section = None
        self.count = 0
        self.dates: set[int] = set()
        self.durations: set[int] = set()

    def start(self, tag, attrib):
        if tag in XF:
            if self.section is CELL_XFS:
                self._format(attrib.get("numFmtId"))
        elif tag in NUM_FMT:
            if self.section is NUM_FMTS:
                if len(self.custom) >= MAX_CELL_FORMATS:
                    raise _too_many_formats()
                number, code = int(attrib.get("numFmtId", "0")), attrib.get("formatCode", "")
                kind = (is_date_format(code), is_timedelta_format(code))
                if any(kind) or number < FIRST_CUSTOM_FORMAT:  # a custom format may redefine a built-in id
                    self.custom[number] = kind
        elif tag in NUM_FMTS:
            self.section = NUM_FMTS
        elif tag in CELL_XFS:
            self.section = CELL_XFS

    def _format(self, number_format: str | None) -> None:
        index = self.count
        self.count += 1
        if self.count > MAX_CELL_FORMATS:
            raise _too_many_formats()
        number = int(number_format or 0)
        if number in self.custom:
            date, duration = self.custom[number]
        else:
            code = BUILTIN_FORMATS.get(number)
            date, duration = is_date_format(code), is_timedelta_format(code)
        if date:
            self.dates.add(index)
        if duration:
            self.durations.add(index)

    def end(self, tag):
        if tag in NUM_FMTS or tag in CELL_XFS:
            self.section = None


def _too_many_formats() -> WorkbookRefused:
    return WorkbookRefused(_l(
        "The workbook defines more than %(max)s cell formats, more than Excel itself allows. Copy the data "
        "into a new workbook and try again.", max=MAX_CELL_FORMATS), "formats")


class _SharedStrings(_Target):
    def __init__(self, limits: Limits):
        self.limit = limits.cells
        self.strings: list[str] = []
        self.parts: list[str] | None = None
        self.sink: list[str] | None = None
        self.phonetic = 0

    def start(self, tag, attrib):
        if tag in SI:
            self.parts, self.phonetic = [], 0
        elif tag in T:
            if self.parts is not None and not self.phonetic:
                self.sink = self.parts
        elif tag in RPH:
            self.phonetic += 1

    def data(self, text):
        if self.sink is not None:
            self.sink.append(text)

    def end(self, tag):
        if tag in T:
            self.sink = None
        elif tag in SI:
            if self.parts is not None:
                if len(self.strings) >= self.limit:
                    raise WorkbookRefused(_l(
                        "The workbook holds more than %(max)s different texts. Split it into smaller files.",
                        max=self.limit), "texts")
                self.strings.append("".join(self.parts))
                self.parts = None
        elif tag in RPH:
            self.phonetic -= 1


def _refuse_rows(limit: int, row: int) -> WorkbookRefused:
    return WorkbookRefused(_l(
        "The sheet goes on beyond row %(max)s (row %(row)s): keep at most %(max)s rows, delete the rest "
        "(even empty but formatted rows) or split the file.", max=limit, row=row), "rows")


class _Sheet(_Target):
    """Rows of sheetData as (row number, values): each limit is checked cell by cell."""

    def __init__(self, book):  # an UploadedWorkbook
        self.book, self.limits = book, book.limits
        self.ready: list[tuple[int, tuple]] = []
        self.in_data = self.done = False
        self.number = 0  # the current row's number
        self.row: dict[int, object] | None = None
        self.column = 0
        self.cells = 0
        self.cell: dict | None = None
        self.raw: list[str] | None = None
        self.inline: list[str] | None = None
        self.sink: list[str] | None = None
        self.phonetic = 0

    def start(self, tag, attrib):
        if self.cell is not None:  # inside a cell: its value, or the runs of an inline text
            if tag in V:
                self.raw = self.sink = []
            elif tag in IS:
                self.inline = []
            elif tag in T:
                if self.inline is not None and not self.phonetic:
                    self.sink = self.inline
            elif tag in RPH:
                self.phonetic += 1
        elif tag in C:
            if self.row is not None:
                self.cell, self.raw, self.inline, self.phonetic = attrib, None, None, 0
        elif tag in ROW:
            if self.in_data:
                self._row(attrib.get("r"))
        elif tag in SHEET_DATA:
            self.in_data = True

    def _row(self, given: str | None) -> None:
        number = int(float(given)) if given else self.number + 1
        if number <= self.number:
            raise _unreadable()  # rows out of order: a damaged sheet
        if number > self.limits.rows:
            raise _refuse_rows(self.limits.rows, number)
        self.number, self.row, self.column = number, {}, 0

    def data(self, text):
        if self.sink is not None:
            self.sink.append(text)

    def end(self, tag):
        if self.cell is not None:
            if tag in C:
                self._cell()
                self.cell = None
            elif tag in V or tag in T:
                self.sink = None
            elif tag in RPH:
                self.phonetic -= 1
        elif tag in ROW:
            if self.row:
                last = max(self.row)
                self.ready.append((self.number, tuple(self.row.get(i) for i in range(1, last + 1))))
            self.row = None
        elif tag in SHEET_DATA:
            self.done = True

    def _cell(self) -> None:
        limits = self.limits
        reference = self.cell.get("r")
        if reference:
            column = column_index_from_string(reference.rstrip("0123456789"))
        else:
            column = self.column + 1
        self.column = column
        self.cells += 1
        if self.cells > limits.cells:
            raise WorkbookRefused(_l("The sheet has more than %(max)s cells. Split it into smaller files.",
                                     max=limits.cells), "cells")
        if column > limits.columns:
            raise WorkbookRefused(_l(
                "The sheet has a cell beyond column %(last)s (cell %(cell)s): keep only the template's columns "
                "and delete the others, even empty but formatted ones.",
                last=get_column_letter(limits.columns), cell=f"{get_column_letter(column)}{self.number}"),
                "columns")
        value = self._value()
        if value is not None:
            self.row[column] = value

    def _value(self):
        kind = self.cell.get("t", "n")
        if kind == "inlineStr":
            return "".join(self.inline) if self.inline is not None else None
        raw = "".join(self.raw) if self.raw else None
        if raw is None:
            return None  # an empty cell, or a formula never calculated
        if kind == "s":
            index = int(raw)
            if index < 0:
                raise IndexError(index)  # a damaged sheet: unreadable
            return self.book.strings[index]
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return bool(int(raw))
        if kind == "d":
            return from_ISO8601(raw)
        number = float(raw) if any(c in raw for c in ".eE") else int(raw)
        style = int(self.cell.get("s", "0") or 0)
        if style in self.book.dates:
            try:
                return from_excel(number, self.book.epoch, timedelta=style in self.book.durations)
            except (OverflowError, ValueError):
                return "#VALUE!"  # as openpyxl reads a date out of range
        return number


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
