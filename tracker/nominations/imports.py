"""Importing a filled-in nomination template: headers checked, every cell converted or reported,
then the rows written as draft nominations, all or none."""
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _, lazy_gettext as _l
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from tracker import changes, clock
from tracker.attachments import services as files
from tracker.audit.services import record
from tracker.candidates.models import Candidate, CandidateKind
from tracker.candidates.services import name_key
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.jobs.services import JobFailed, Result, keep_upload, kept_upload, start_job
from tracker.permissions import can_nominate, plan_in_scope
from tracker.nominations.candidates import filled, update_candidate
from tracker.nominations.exports import (
    COLUMN_BY_KEY,
    FIELD_COLUMNS,
    GENDER_CODES,
    KIND_CODES,
    TEMPLATE_COLUMNS,
    TEMPLATE_SHEET,
)
from tracker.nominations.fields import CANDIDATE_FIELDS, NOMINATION_FIELDS
from tracker.nominations.models import Nomination
from tracker.nominations.services import check_plan_open, clean_values, new_nomination, proposed_award_errors
from tracker.nominations.queries import award_choices
from tracker.nominations.validation import CandidateInput, candidate_errors, merge, nomination_errors
from tracker.plans.models import Plan
from tracker.spreadsheets.reader import Limits, WorkbookRefused, open_workbook
from tracker.units.models import Unit

# Blank but formatted rows are skipped, yet not forever.
MAX_BLANK_ROWS = 5000
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass(frozen=True)
class Problem:
    """One reason a file is refused: a spreadsheet row (None: the whole file), a column header."""

    row: int | None
    column: str
    message: str


@dataclass
class SheetRow:
    number: int  # the row's number in the spreadsheet (the header is row 1)
    values: dict = field(default_factory=dict)


class ImportRefused(DomainError):
    """The file is not imported; `problems` lists every reason, by row and column."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_l("The file was not imported: correct the problems listed and upload it again."))
        self.problems = sorted(problems, key=lambda p: (p.row or 0, _column_position(p.column)))
        self.errors = {}  # nothing belongs to a form field: the import page lists the problems


def _column_position(header: str) -> int:
    for index, column in enumerate(TEMPLATE_COLUMNS):
        if column.header == header:
            return index
    return -1


def _key(text) -> str:
    return name_key(str(text or ""))


def _shown(value) -> str:
    text = value.strftime("%d/%m/%Y") if isinstance(value, (date, datetime)) else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _integer(value):
    """(number or None, error message or None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool) or isinstance(value, (date, datetime)):
        return None, _l("Enter a whole number, not “%(value)s”.", value=_shown(value))
    if isinstance(value, int):
        return value, None
    if isinstance(value, float):
        if value.is_integer():
            return int(value), None
        return None, _l("Enter a whole number, not “%(value)s”.", value=_shown(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{1,9}", text):
        return int(text), None
    return None, _l("Enter a whole number, not “%(value)s”.", value=_shown(text))


def _day(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = str(value).strip()
    try:
        if match := _DATE.match(text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1))), None
        if match := _ISO_DATE.match(text):
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3))), None
    except ValueError:
        pass
    return None, _l("Enter a date as dd/mm/yyyy, not “%(value)s”.", value=_shown(text))


def _code(value, codes: dict, message):
    text = _text(value)
    if not text:
        return None, None
    for name, code in codes.items():
        if _key(name) == _key(text) or _key(code.value) == _key(text):
            return code, None
    return None, message


def check_headers(cells: list) -> list[Problem]:
    """The header row must be the template's, column for column (case, spacing and diacritics aside)."""
    problems = []
    found = [_text(c) for c in cells]
    while found and not found[-1]:
        found.pop()
    for index, column in enumerate(TEMPLATE_COLUMNS):
        letter = get_column_letter(index + 1)
        if index >= len(found) or not found[index]:
            problems.append(Problem(1, column.header, _l("Column %(letter)s “%(expected)s” is missing.",
                                                         letter=letter, expected=column.header)))
        elif _key(found[index]) != _key(column.header):
            problems.append(Problem(1, column.header, _l(
                "Column %(letter)s should be “%(expected)s” but is “%(found)s”: use the template's columns, in its order.",
                letter=letter, expected=column.header, found=_shown(found[index]))))
    for index in range(len(TEMPLATE_COLUMNS), len(found)):
        if found[index]:
            problems.append(Problem(1, found[index], _l("Column %(letter)s “%(found)s” is not part of the template.",
                                                        letter=get_column_letter(index + 1), found=_shown(found[index]))))
    return problems


def open_sheet(data: bytes, limits: Limits | None = None):
    """The rows of the template's sheet (else the first worksheet) as (row number, values),
    through the guarded reader; ImportRefused when the workbook cannot be read or is too big."""
    try:
        book = open_workbook(data, limits)
    except WorkbookRefused as refusal:
        raise ImportRefused([Problem(None, "", refusal.message)]) from None
    return book.rows(TEMPLATE_SHEET if TEMPLATE_SHEET in book.sheets else book.sheet_names[0])


def read_rows(data: bytes, movements: list, awards: list, max_rows: int,
              limits: Limits | None = None) -> tuple[list[SheetRow], list[Problem]]:
    """The filled rows of a template file, converted, and the problems of their cells.

    Refuses the whole file (ImportRefused) when it is not a workbook, passes the reader's limits
    (`limits`, else the configured ones: size, rows, columns, cells, time), its header row is not
    the template's, or it holds more than `max_rows` filled rows (counting stops there). Blank rows
    (a row number alone counts as blank) are skipped. Movements and catalogue awards are found by
    name, ignoring case and diacritics; a proposed honour that is no catalogue award stays free text.
    """
    sheet = open_sheet(data, limits)
    rows: list[SheetRow] = []
    problems: list[Problem] = []
    movement_by_key = {_key(m.name): m for m in movements}
    award_by_key = {_key(a.name): a for a in awards}
    kind_message = _l("Choose “Cá nhân” or “Tập thể”.")
    gender_message = _l("Choose “Nam” or “Nữ”.")
    try:
        first = next(sheet, None)
        if first is None:
            raise ImportRefused([Problem(None, "", _l("The file is empty."))])
        number, header = first
        header_problems = check_headers(list(header) if number == 1 else [])
        if header_problems:
            raise ImportRefused(header_problems)
        blank_run, previous = 0, number
        for number, cells in sheet:
            blank_run += number - previous - 1  # rows the sheet does not hold are blank
            previous = number
            cells = list(cells) + [None] * (len(TEMPLATE_COLUMNS) - len(cells))
            if not any(_text(cells[i]) for i, c in enumerate(TEMPLATE_COLUMNS) if c.type != "skip"):
                blank_run += 1
                if blank_run > MAX_BLANK_ROWS:
                    break
                continue
            if blank_run > MAX_BLANK_ROWS:
                break
            blank_run = 0
            if len(rows) >= max_rows:
                raise ImportRefused([Problem(None, "", _l(
                    "The file has more than %(max)s rows of nominations; split it into files of at most %(max)s rows.",
                    max=max_rows))])
            row = SheetRow(number)
            for index, column in enumerate(TEMPLATE_COLUMNS):
                value, error = _convert(column, cells[index], movement_by_key, kind_message, gender_message)
                if error is not None:
                    problems.append(Problem(number, column.header, error))
                elif column.type == "honour":
                    award = award_by_key.get(_key(value)) if value else None
                    row.values["proposed_award_type_id"] = award.id if award else None
                    row.values["proposed_honour"] = "" if award else value
                elif column.type != "skip":
                    row.values[column.key] = value
            rows.append(row)
    except ImportRefused:
        raise
    except WorkbookRefused as refusal:  # a limit passed while reading
        raise ImportRefused([Problem(None, "", refusal.message)]) from None
    except Exception:  # a damaged sheet part: refuse the file rather than fail
        raise ImportRefused([Problem(None, "", _l(
            "The file could not be read as an Excel workbook (.xlsx). Save it as .xlsx and try again."))]) from None
    if not rows:
        raise ImportRefused([Problem(None, "", _l("The file has no nomination rows under the header."))])
    return rows, problems


def _convert(column, value, movement_by_key, kind_message, gender_message):
    if column.type == "skip":
        return None, None
    if column.type == "int":
        return _integer(value)
    if column.type == "date":
        return _day(value)
    if column.type == "kind":
        return _code(value, KIND_CODES, kind_message)
    if column.type == "gender":
        return _code(value, GENDER_CODES, gender_message)
    text = _text(value)
    if column.type == "movement":
        if not text:
            return None, None
        movement = movement_by_key.get(_key(text))
        if movement is None:
            return None, _l("“%(value)s” is not a movement of this plan: choose one from the list.",
                            value=_shown(text))
        return movement, None
    if column.max_length and len(text) > column.max_length:
        return None, _l("At most %(max)s characters.", max=column.max_length)
    return text, None


# --- importing the rows ------------------------------------------------------------------


def checked_file(upload: files.Upload, max_bytes: int) -> bytes:
    """The upload's bytes if it is a non-empty .xlsx of at most `max_bytes` (by its content),
    else ImportRefused: what is checked before anything is parsed or queued."""
    data = upload.stream.read(max_bytes + 1)
    if not data:
        raise ImportRefused([Problem(None, "", _l("The file is empty."))])
    if len(data) > max_bytes:
        raise ImportRefused([Problem(None, "", _l("The file is larger than %(limit)s MB.",
                                                  limit=max_bytes // files.MB or 1))])
    if files.sniff(data) != files.XLSX:
        raise ImportRefused([Problem(None, "", _l(
            "This is not an Excel .xlsx file. Download the template, fill it in and save it as .xlsx."))])
    return data


@dataclass
class ImportResult:
    nominations: list[Nomination]
    known_candidates: int  # rows whose candidate was registered for the unit before the import


REQUIRED_ON_IMPORT = ("kind", "full_name", "movement_id", "achievements")


def import_nominations(actor, plan: Plan, unit: Unit, upload: files.Upload, *, today: date, max_rows: int,
                       max_bytes: int) -> ImportResult:
    """Create draft nominations of `unit` under `plan` from a filled-in template, all or none.

    The file must be an .xlsx of at most `max_bytes` with the template's header row and at most
    `max_rows` filled rows. Every row is checked (kind, name, movement and achievements are
    required; the same rules as the form otherwise) and ImportRefused lists every problem by row
    and column; nothing is written unless every row is valid. A row whose person is already
    registered for the unit nominates that candidate (no twin is created, within the file either).
    WorkflowError when the plan is not active.
    """
    check_plan_open(plan)
    data = checked_file(upload, max_bytes)
    awards = {a.id: a for a in award_choices(plan)}
    rows, problems = read_rows(data, list(plan.movements), list(awards.values()), max_rows)

    def header(name: str) -> str:
        column = COLUMN_BY_KEY.get(FIELD_COLUMNS.get(name, name))
        return column.header if column else ""

    bad_cells = {(p.row, p.column) for p in problems}
    people = []
    for row in rows:
        v = row.values
        for name in REQUIRED_ON_IMPORT:
            if v.get(name) in (None, "") and (row.number, header(name)) not in bad_cells:
                problems.append(Problem(row.number, header(name), _l("This column must be filled in.")))
        person = CandidateInput(v.get("kind") or CandidateKind.INDIVIDUAL, v.get("full_name") or "",
                                {name: v.get(name) for name in CANDIDATE_FIELDS})
        errors = merge(candidate_errors(person, today), nomination_errors(v, today))
        if v.get("kind") is not None:
            errors = merge(errors, proposed_award_errors(plan, person.kind, v.get("proposed_award_type_id"), awards))
        for name, messages in errors.items():
            if name == "full_name" and not v.get("full_name"):
                continue  # already reported as a required column
            for message in messages:
                problems.append(Problem(row.number, header(name), message))
        people.append(person)
    if problems:
        raise ImportRefused(problems)

    registered = {
        (c.kind, c.name_key, c.birth_year): c
        for c in db.session.scalars(
            select(Candidate).where(Candidate.unit_id == unit.id,
                                    Candidate.name_key.in_({name_key(p.full_name) for p in people}))
            .order_by(Candidate.id.desc()))
    }  # one query; the oldest of any twins wins, as in find_candidate
    before = {c.id for c in registered.values()}
    # Written in bulk (a flush per kind of row, not per row), audited row by row all the same.
    chosen, new_candidates = [], []
    for person in people:
        candidate = registered.get(person.key)
        if candidate is None:
            candidate = registered[person.key] = Candidate(
                kind=person.kind, full_name=person.full_name.strip(), name_key=name_key(person.full_name),
                unit=unit, **person.values())
            db.session.add(candidate)
            new_candidates.append(candidate)
        elif candidate.id in before:
            update_candidate(actor, candidate, **filled(person.values()))
        chosen.append(candidate)
    db.session.flush()
    for candidate in new_candidates:
        record(actor, "candidate.created", candidate, candidate.full_name, flush=False)
    created = []
    for row, candidate in zip(rows, chosen):
        values = clean_values({name: row.values.get(name) for name in NOMINATION_FIELDS})
        created.append(new_nomination(actor, plan, row.values["movement_id"], candidate, unit, **values))
    db.session.add_all(created)
    db.session.flush()
    for nomination in created:
        record(actor, "nomination.created", nomination, nomination.candidate.full_name, flush=False)
    changes.nominations_changed(db.session, created)
    known = sum(1 for c in chosen if c.id in before)
    record(actor, "nomination.imported", None, f"{plan.number}: {len(created)}", unit_id=unit.id)
    return ImportResult(created, known)


# --- the import as a background job --------------------------------------------------------


def start_import(actor, plan: Plan, upload: files.Upload, *, max_rows: int, max_bytes: int):
    """Check the file's kind and size, keep it in storage and queue its import (a job run as the
    officer, for their unit): ImportRefused at once for a file that is no .xlsx or too large."""
    check_plan_open(plan)
    data = checked_file(upload, max_bytes)
    key = keep_upload(data, files.XLSX, "file")
    title = _("Import of nominations from %(name)s – %(plan)s", name=files.clean_name(upload.name or "")[:100],
              plan=plan.number)
    return start_job(actor, "nominations_import", title,
                     {"plan_id": plan.id, "unit_id": actor.unit_id, "key": key, "name": upload.name or "",
                      "max_rows": max_rows, "max_bytes": max_bytes})


def import_job(job, progress) -> Result:
    """Import the kept file as the officer who sent it (all rows or none, as the form's import).
    A refused file ends the job as failed with every problem by row and column."""
    owner, params = job.owner, dict(job.params)
    if not owner.active or owner.unit_id != params["unit_id"] or not can_nominate(owner):
        raise JobFailed(_("The account that sent this file is closed or serves another unit now."))
    plan = db.session.get(Plan, params["plan_id"])
    if plan is None or not plan_in_scope(owner, plan):
        raise JobFailed(_("The plan of this import no longer exists."))
    progress(0, phase="reading")
    data = kept_upload(params["key"])
    progress(0, phase="saving")
    try:
        result = import_nominations(owner, plan, owner.unit, files.Upload(params["name"], io.BytesIO(data)),
                                    today=clock.today(), max_rows=params["max_rows"], max_bytes=params["max_bytes"])
    except ImportRefused as refusal:
        db.session.rollback()
        return Result(failed=str(refusal.message), outcome={"problems": [
            {"row": p.row, "column": p.column, "message": str(p.message)} for p in refusal.problems]})
    return Result(outcome={"imported": len(result.nominations), "known": result.known_candidates,
                           "plan_id": plan.id})
