"""The one reader of uploaded workbooks (.xlsx): every import reads its file through here.

An .xlsx is a ZIP archive of XML parts, and a small upload can be made to cost the server a
great deal: parts that unpack to gigabytes, millions of cells, a header thousands of columns
wide, one cell at XFD1048576, a `<dimension>` that claims the whole grid, or a DTD whose
entities expand a few bytes into megabytes. openpyxl, even in read-only mode, loads the shared
strings and the styles whole (its styles take about 0.1 ms a cell format) and pads every row
it reads up to the declared dimension. So this reader does not hand the file to openpyxl:

1. Before anything is parsed, it checks the unpacked size of every part and of all of them,
   as the archive's central directory states them (zipfile never unpacks more than that).
2. It parses the parts it needs (relationships, workbook, styles, shared strings, one sheet)
   as a stream of expat events, building no tree, and refuses any DTD.
3. While streaming it counts rows, columns, cells and distinct texts, and the time spent
   reading, and stops at the first limit passed with a message for the user.

The declared dimension is never read: rows come as the sheet holds them, without padding.
openpyxl lends only its small helpers (cell references, number formats, Excel dates).
"""
import io
import posixpath
import time
import zipfile
from dataclasses import dataclass
from typing import Iterator, Mapping
from xml.etree.ElementTree import XMLParser

from flask import current_app
from flask_babel import lazy_gettext as _l
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

from tracker.errors import DomainError

MB = 1024 * 1024
CHUNK = 64 * 1024  # bytes fed to the parser between two looks at the clock
MAX_SHEETS = 1000
MAX_CELL_FORMATS = 64000  # what Excel allows
FIRST_CUSTOM_FORMAT = 164  # number formats below this id are Excel's built-in ones

UNREADABLE = _l("The file could not be read as an Excel workbook (.xlsx). Save it as .xlsx and try again.")


class WorkbookRefused(DomainError):
    """The workbook is not read: `message` tells the user why; `reason` names the check
    (unreadable, part_size, unpacked_size, rows, columns, cells, texts, formats, time)."""

    def __init__(self, message, reason: str):
        super().__init__(message)
        self.reason = reason


def _unreadable() -> WorkbookRefused:
    return WorkbookRefused(UNREADABLE, "unreadable")


def _mb(size: int) -> str:
    return format(round(size / MB, 1), "g")


@dataclass(frozen=True)
class Limits:
    """How much one uploaded workbook may hold (settings SPREADSHEET_* in config.py)."""

    unpacked_bytes: int  # all the archive's parts, unpacked
    part_bytes: int  # any one part, unpacked
    rows: int  # the last row number read
    columns: int  # the last column number read
    cells: int  # cells of the sheet, and distinct texts of the workbook
    seconds: float  # time spent reading (not the caller's time between rows)

    @classmethod
    def from_config(cls, config: Mapping) -> "Limits":
        return cls(
            unpacked_bytes=int(float(config["SPREADSHEET_MAX_UNPACKED_MB"]) * MB),
            part_bytes=int(float(config["SPREADSHEET_MAX_PART_MB"]) * MB),
            rows=int(config["SPREADSHEET_MAX_ROWS"]),
            columns=int(config["SPREADSHEET_MAX_COLUMNS"]),
            cells=int(config["SPREADSHEET_MAX_CELLS"]),
            seconds=float(config["SPREADSHEET_MAX_SECONDS"]),
        )


_now = time.perf_counter


class _Clock:
    """The time spent reading, which runs only between resume() and pause()."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.spent = 0.0
        self.since: float | None = None

    def resume(self) -> None:
        if self.since is None:
            self.since = _now()

    def pause(self) -> None:
        if self.since is not None:
            self.spent += _now() - self.since
            self.since = None

    def check(self) -> None:
        running = _now() - self.since if self.since is not None else 0.0
        if self.spent + running > self.seconds:
            raise WorkbookRefused(_l(
                "Reading the workbook took more than %(seconds)s seconds. Remove what the import does not need "
                "(other sheets, pictures, formatting) or split it into smaller files.",
                seconds=format(self.seconds, "g")), "time")


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

    def __init__(self, book: "UploadedWorkbook"):
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


class UploadedWorkbook:
    """A workbook that passed the archive checks, its styles and texts read; rows come from
    rows(name). Use open_workbook()."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits, clock: _Clock):
        self.archive, self.limits, self.clock = archive, limits, clock
        self.sheets: dict[str, str] = {}  # worksheet name -> part, in the workbook's order
        self.active_sheet = ""
        self.strings: list[str] = []
        self.dates: set[int] = set()
        self.durations: set[int] = set()
        self.epoch = WINDOWS_EPOCH

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)

    def _load(self) -> None:
        archive, clock = self.archive, self.clock
        names = set(archive.namelist())
        workbook_part = "xl/workbook.xml"
        if "_rels/.rels" in names:
            for _id, kind, target in _parse(archive, "_rels/.rels", _Relationships(), clock).targets:
                if kind.endswith("/officeDocument"):
                    workbook_part = _resolve("", target)
                    break
        book = _parse(archive, workbook_part, _WorkbookPart(), clock)
        relationships = _parse(archive, _rels_of(workbook_part), _Relationships(), clock).targets
        by_id = {rid: (kind, _resolve(workbook_part, target)) for rid, kind, target in relationships}
        for name, rid in book.sheets:
            kind, part = by_id.get(rid, ("", ""))
            if kind.endswith("/worksheet"):
                self.sheets[name] = part
        if not self.sheets:
            raise _unreadable()
        active = book.sheets[book.active_index][0] if book.active_index is not None and \
            0 <= book.active_index < len(book.sheets) else ""
        self.active_sheet = active if active in self.sheets else next(iter(self.sheets))
        self.epoch = CALENDAR_MAC_1904 if book.date1904 else WINDOWS_EPOCH
        for kind, part in by_id.values():
            if kind.endswith("/styles"):
                styles = _parse(archive, part, _Styles(), clock)
                self.dates, self.durations = styles.dates, styles.durations
            elif kind.endswith("/sharedStrings"):
                self.strings = _parse(archive, part, _SharedStrings(self.limits), clock).strings

    def rows(self, name: str) -> Iterator[tuple[int, tuple]]:
        """(row number, values) for each row of sheet `name` holding a value, in order: the values
        run from column A to the row's last value, None for an empty cell. Formulas give their last
        calculated value. Raises WorkbookRefused at the first limit passed, or if the sheet is damaged."""
        clock = self.clock
        clock.resume()
        try:
            sheet = _Sheet(self)
            for _ in _stream(self.archive, self.sheets[name], sheet, clock):
                ready, sheet.ready = sheet.ready, []
                for row in ready:
                    clock.pause()
                    yield row
                    clock.resume()
        except WorkbookRefused:
            raise
        except Exception:  # any failure of the parser on a user's file is a refusal, never a 500
            raise _unreadable() from None
        finally:
            clock.pause()


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse (WorkbookRefused) an archive whose central directory declares a part, or all its
    parts together, larger than the limits once unpacked. Nothing is unpacked here."""
    total = 0
    for info in archive.infolist():
        if info.file_size > limits.part_bytes:
            raise WorkbookRefused(_l(
                "The workbook is too large once unpacked: its part %(part)s takes %(size)s MB, and at most "
                "%(max)s MB are read. Remove what the import does not need (other sheets, pictures) or split it.",
                part=info.filename[:80], size=_mb(info.file_size), max=_mb(limits.part_bytes)), "part_size")
        total += info.file_size
    if total > limits.unpacked_bytes:
        raise WorkbookRefused(_l(
            "The workbook is too large once unpacked: %(size)s MB, and at most %(max)s MB are read. Remove what "
            "the import does not need (other sheets, pictures) or split it.",
            size=_mb(total), max=_mb(limits.unpacked_bytes)), "unpacked_size")


def open_workbook(data: bytes, limits: Limits | None = None) -> UploadedWorkbook:
    """Open an uploaded .xlsx within `limits` (by default the configured ones): the archive's
    sizes are checked first, then its workbook, styles and shared texts are read as streams.
    Raises WorkbookRefused with a message for the user (an unreadable file included); never
    anything else."""
    if limits is None:
        limits = Limits.from_config(current_app.config)
    clock = _Clock(limits.seconds)
    clock.resume()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        check_archive(archive, limits)
        book = UploadedWorkbook(archive, limits, clock)
        book._load()
        return book
    except WorkbookRefused:
        raise
    except Exception:  # any failure of the parser on a user's file is a refusal, never a 500
        raise _unreadable() from None
    finally:
        clock.pause()
