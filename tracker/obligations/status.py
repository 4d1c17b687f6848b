"""Who owes a milestone, the status of each obligation and the figures of a unit subtree.

The one place that decides them: every page shows what these functions return (the plan page, the
deadline view and its obligation page, the dashboard and its export, the home pages, "My
obligations" and the reports list); templates never work out lateness themselves.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import literal, select
from sqlalchemy.orm import aliased, contains_eager

from tracker.extensions import db
from tracker.plans.models import Milestone, MilestoneScope, Plan, PlanStatus
from tracker.plans.services import applies_to
from tracker.reports.models import HANDED_IN, ProgressReport, ReportStatus
from tracker.units.models import Unit

NOT_STARTED, IN_PROGRESS, RETURNED, SUBMITTED, ACCEPTED, LATE = (
    "not_started", "in_progress", "returned", "submitted", "accepted", "late")
OBLIGATION_STATUSES = (NOT_STARTED, IN_PROGRESS, RETURNED, SUBMITTED, ACCEPTED, LATE)
DONE = (SUBMITTED, ACCEPTED)  # the obligation is met (its report is handed in)


def owes(milestone: Milestone, unit: Unit, report_status: ReportStatus | None) -> bool:
    """Whether `unit` owes `milestone`, given the status of its report (None: no report).

    A unit owes what the milestone names today (applies_to). A report once handed in stays
    counted: a unit below the issuer that handed in (submitted, resubmitted or accepted) its
    report keeps that obligation, shown as submitted or accepted, after its kind changed or the
    committee changed the milestone's kinds. A unit no longer named that had handed nothing in
    (no report, a draft, a returned report) owes nothing: it is neither pending nor late, and
    its draft stays readable in the reports list.
    """
    if applies_to(milestone, unit):
        return True
    issuer = milestone.plan.issuing_unit
    return (report_status in HANDED_IN and milestone.scope is MilestoneScope.SUBUNITS
            and unit.id != issuer.id and unit.is_within(issuer))


def obligation_status(milestone: Milestone, unit: Unit, report_status: ReportStatus | None,
                      today: date) -> str | None:
    """The status of `unit`'s obligation for `milestone` today, or None when it owes nothing
    (see owes). The only function that decides it:

    - accepted: the committee accepted the report;
    - submitted: the report is handed in (submitted or resubmitted), whatever the date;
    - late: past the due date (`today` after `due_date`) and not handed in, whether there is no
      report, a draft or a returned one;
    - returned, in_progress (a draft), not_started (no report): not yet due.
    """
    if not owes(milestone, unit, report_status):
        return None
    if report_status is ReportStatus.ACCEPTED:
        return ACCEPTED
    if report_status in HANDED_IN:
        return SUBMITTED
    if today > milestone.due_date:
        return LATE
    if report_status is ReportStatus.RETURNED:
        return RETURNED
    if report_status is ReportStatus.DRAFT:
        return IN_PROGRESS
    return NOT_STARTED


@dataclass
class Obligation:
    milestone: Milestone
    report: ProgressReport | None
    status: str  # one of OBLIGATION_STATUSES, from obligation_status
    days_left: int  # negative once the due date has passed

    @property
    def done(self) -> bool:
        return self.status in DONE

    @property
    def late(self) -> bool:
        return self.status == LATE

    @property
    def days_late(self) -> int:
        return -self.days_left if self.late else 0


def obligations_for_unit(unit: Unit, today: date) -> list[Obligation]:
    """Every milestone of an active plan that `unit` owes (see owes), with its status; two queries."""
    issuer = aliased(Unit)
    milestones = db.session.scalars(
        select(Milestone)
        .join(Milestone.plan)
        .join(issuer, Plan.issuing_unit)
        .where(
            Plan.status == PlanStatus.ACTIVE,
            literal(unit.path).startswith(issuer.path),
        )
        .options(contains_eager(Milestone.plan).contains_eager(Plan.issuing_unit.of_type(issuer)))
        .order_by(Milestone.due_date, Milestone.id)
    ).all()
    reports = {}
    if milestones:
        reports = {
            r.milestone_id: r
            for r in db.session.scalars(
                select(ProgressReport).where(
                    ProgressReport.unit_id == unit.id,
                    ProgressReport.milestone_id.in_([m.id for m in milestones]),
                )
            )
        }
    result = []
    for m in milestones:
        report = reports.get(m.id)
        status = obligation_status(m, unit, report.status if report else None, today)
        if status is not None:
            result.append(Obligation(m, report, status, m.days_left(today)))
    return result


def report_obligation_statuses(reports: list[ProgressReport], today: date) -> dict[int, str | None]:
    """Each report's obligation status (obligation_status), by report id; reads loaded
    attributes only (the report's unit, milestone, plan and issuing unit)."""
    return {r.id: obligation_status(r.milestone, r.unit, r.status, today) for r in reports}


@dataclass
class MilestoneProgress:
    """One milestone's figures in one unit subtree (see progress_from_counts)."""

    milestone: Milestone
    total: int  # units owing
    handed_in: int
    accepted: int
    late: int
    days_left: int

    @property
    def pending(self) -> int:
        """Owing, not handed in, not late (yet)."""
        return self.total - self.handed_in - self.late


def progress_from_counts(milestone: Milestone, today: date, *, named: int, named_handed_in: int,
                         others_handed_in: int, accepted: int) -> MilestoneProgress:
    """The figures of `milestone` in one unit subtree: the only function that decides them.

    It takes counts of the subtree's units: `named`, the units the milestone names today
    (applies_to); `named_handed_in`, those of them whose report is handed in; `others_handed_in`,
    the units below the issuer no longer named that had handed in (they still owe it, see
    owes); `accepted`, the accepted reports among all of these. Then

        owing     = named + others_handed_in
        handed in = named_handed_in + others_handed_in    (submitted, resubmitted or accepted)
        late      = owing - handed in, once the due date has passed (0 before)

    which is what counting obligation_status over every unit of the subtree gives: a unit
    added after the plan counts as soon as it exists, a unit re-kinded after it handed in stays
    counted as handed in, a unit re-kinded before it handed in drops out. The counts come from
    the running figures (tracker.stats.figures.progress_many), so a page costs the same few
    reads at any scale.
    """
    owing = max(named, 0) + max(others_handed_in, 0)
    handed_in = min(max(named_handed_in, 0) + max(others_handed_in, 0), owing)
    late = owing - handed_in if today > milestone.due_date else 0
    return MilestoneProgress(milestone, owing, handed_in, min(max(accepted, 0), handed_in), late,
                             milestone.days_left(today))




def open_obligation(milestone: Milestone, unit: Unit) -> tuple[bool, ProgressReport | None]:
    """Whether `unit` may write its report on `milestone` now (the milestone asks for one, its plan
    is active, the unit owes it: owes), and the unit's report if it was started."""
    report = report_of(milestone, unit)
    owed = (milestone.requires_report and milestone.plan.status is PlanStatus.ACTIVE
            and owes(milestone, unit, report.status if report else None))
    return owed, report


def report_of(milestone: Milestone, unit: Unit) -> ProgressReport | None:
    """The unit's report on the milestone, if it started one."""
    return db.session.scalar(select(ProgressReport).where(
        ProgressReport.milestone_id == milestone.id, ProgressReport.unit_id == unit.id))
