"""The unit x milestone matrix as a spreadsheet: (headers, rows) built here, written as .xlsx."""
import re
from datetime import date

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tracker.units.labels import unit_kind_label
from tracker.nominations.models import NominationStatus
from tracker.spreadsheets.writer import XLSX_MIMETYPE, cell, workbook_bytes

LATE_FILL = PatternFill("solid", fgColor="F8D7DA")
LATE_FONT = Font(bold=True, color="842029")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FIGURES_PER_MILESTONE = 3  # done, owed, late


def matrix_table(milestones, rows) -> tuple[list[str], list[list]]:
    """Headers and rows: unit, kind, then done / owed / late for each milestone, then nominations."""
    headers = [_("Unit"), _("Kind")]
    done, owed, late = _("Done"), _("Owed"), _("Late")  # not inside the f-strings: the extractor skips those
    for m in milestones:
        headers += [f"{m.title} ({m.due_date:%d/%m/%Y}) – {done}", f"{m.title} – {owed}", f"{m.title} – {late}"]
    headers += [_("Nominations"), _("Accepted nominations")]
    table = []
    for row in rows:
        values = [row.unit.name, unit_kind_label(row.unit.kind)]
        for cell in row.cells:
            p = cell.progress
            values += [p.handed_in, p.total, p.late]
        values += [row.nominations_total,
                   row.nominations[NominationStatus.ACCEPTED] + row.nominations[NominationStatus.AWARDED]]
        table.append(values)
    return headers, table


def matrix_xlsx(headers: list[str], table: list[list], heading: str) -> bytes:
    """A one-sheet workbook; the late figures of each milestone are shaded red when not zero."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Progress")[:31])
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 14
    for index in range(3, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 14
    sheet.freeze_panes = "C4"
    sheet.append([cell(sheet, heading, font=Font(bold=True, size=13))])
    sheet.append([])
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([cell(sheet, h, font=Font(bold=True), fill=HEADER_FILL, alignment=wrap) for h in headers])
    late_columns = {2 + FIGURES_PER_MILESTONE * i + 2 for i in range((len(headers) - 4) // FIGURES_PER_MILESTONE)}
    for values in table:
        sheet.append([cell(sheet, value, fill=LATE_FILL, font=LATE_FONT) if index in late_columns and value
                      else cell(sheet, value) for index, value in enumerate(values)])
    return workbook_bytes(workbook)


def matrix_filename(plan, scope, today: date) -> str:
    code = re.sub(r"[^A-Za-z0-9_-]+", "-", scope.code)
    return f"tien-do-{plan.id}-{code}-{today:%Y%m%d}.xlsx"
