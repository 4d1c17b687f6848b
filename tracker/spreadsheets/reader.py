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
import zipfile
from typing import Iterator

from flask import current_app
from flask_babel import lazy_gettext as _l
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

from tracker.spreadsheets.limits import Limits, WorkbookRefused, _Clock, _mb, _unreadable
from tracker.spreadsheets.parts import (
    _parse,
    _Relationships,
    _rels_of,
    _resolve,
    _SharedStrings,
    _Sheet,
    _stream,
    _Styles,
    _WorkbookPart,
)

__all__ = ["Limits", "UploadedWorkbook", "WorkbookRefused", "check_archive", "open_workbook"]


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
