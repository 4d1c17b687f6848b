"""Reading progress reports: the filtered lists, each report's first and latest hand-in, its
versions and what changed from one to the next."""
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased, contains_eager

from tracker.extensions import db
from tracker.plans.models import Milestone, Plan
from tracker.reports.models import ProgressReport, ReportStatus as S, ReportVersion
from tracker.reports.services import EDITABLE_FIELDS
from tracker.units.models import Unit


def search_reports(visible_units: Select, plan_id: int | None = None, milestone_id: int | None = None,
                   status: S | None = None, unit: Unit | None = None) -> Select:
    """Reports of the visible units, filtered; milestone, plan, its issuing unit and the unit
    loaded in the same query (what each row's obligation status reads).

    `unit` keeps that unit's whole subtree (a city keeps its wards).
    """
    issuer = aliased(Unit)
    query = (
        select(ProgressReport)
        .join(ProgressReport.milestone)
        .join(Milestone.plan)
        .join(issuer, Plan.issuing_unit)
        .join(ProgressReport.unit)
        .where(ProgressReport.unit_id.in_(visible_units))
        .options(contains_eager(ProgressReport.milestone).contains_eager(Milestone.plan)
                 .contains_eager(Plan.issuing_unit.of_type(issuer)),
                 contains_eager(ProgressReport.unit))
        .order_by(Milestone.due_date.desc(), Milestone.id, Unit.sort_key, ProgressReport.id)
    )
    if plan_id:
        query = query.where(Plan.id == plan_id)
    if milestone_id:
        query = query.where(Milestone.id == milestone_id)
    if status is not None:
        query = query.where(ProgressReport.status == status)
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path, autoescape=True))
    return query


@dataclass
class Submission:
    number: int
    submitted_on: date | None
    late: bool


def submissions(report_ids: list[int]) -> dict[int, tuple[Submission, Submission]]:
    """For each report, its first and its latest handed-in version (one query)."""
    result: dict[int, tuple[Submission, Submission]] = {}
    if not report_ids:
        return result
    rows = db.session.execute(
        select(ReportVersion.report_id, ReportVersion.number, ReportVersion.data)
        .where(ReportVersion.report_id.in_(report_ids))
        .order_by(ReportVersion.report_id, ReportVersion.number)
    ).all()
    for report_id, number, data in rows:
        plain = json.loads(data)
        day = plain.get("submitted_on")
        item = Submission(number, date.fromisoformat(day) if day else None, bool(plain.get("late")))
        first = result.get(report_id, (item, item))[0]
        result[report_id] = (first, item)
    return result


def versions_of(report: ProgressReport) -> list[ReportVersion]:
    """Every handed-in version of the report, oldest first."""
    return list(db.session.scalars(
        select(ReportVersion).where(ReportVersion.report_id == report.id).order_by(ReportVersion.number)))


def get_version(report: ProgressReport, number: int) -> ReportVersion | None:
    """Version `number` of the report (1 is the first hand-in), or None."""
    return db.session.scalar(
        select(ReportVersion).where(ReportVersion.report_id == report.id, ReportVersion.number == number))


@dataclass
class Change:
    field: str
    old: Any
    new: Any


def version_changes(previous: dict | None, current: dict) -> list[Change]:
    """What changed from one handed-in version to the next: fields, honours lines, files.

    Honours lines and files are compared as wholes: the change lists lines (files) removed as
    `old` and added as `new`. With no previous version, nothing is a change.
    """
    if previous is None:
        return []
    changes = [Change(name, previous.get(name), current.get(name))
               for name in EDITABLE_FIELDS if previous.get(name) != current.get(name)]

    def honour_key(row):
        return (row.get("form"), row.get("movement_id"), row.get("individuals"), row.get("collectives"))

    old_rows = [r for r in previous.get("honours", []) if honour_key(r) not in {honour_key(x) for x in current.get("honours", [])}]
    new_rows = [r for r in current.get("honours", []) if honour_key(r) not in {honour_key(x) for x in previous.get("honours", [])}]
    if old_rows or new_rows:
        changes.append(Change("honours", old_rows, new_rows))
    old_files = {(f["sha256"], f["name"]): f for f in previous.get("attachments", [])}
    new_files = {(f["sha256"], f["name"]): f for f in current.get("attachments", [])}
    removed = [f for key, f in old_files.items() if key not in new_files]
    added = [f for key, f in new_files.items() if key not in old_files]
    if removed or added:
        changes.append(Change("attachments", removed, added))
    return changes
