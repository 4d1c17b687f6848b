"""What an uploaded workbook may cost: the limits (settings), the clock that times the reading, and
the refusal a user sees when one is passed."""
import time
from dataclasses import dataclass
from typing import Mapping

from flask_babel import lazy_gettext as _l

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
