"""Every page shows the same figures for one scope: the plan page, the deadline view and its
obligation pages, the dashboard (headline, milestone table, matrix) and its export, each ward's
home page and "My obligations", the reports list. The numbers are read from the pages
themselves (data-testid), never from the functions behind them."""
import io
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from tests.factories import make_milestone, make_plan, make_report, make_unit, make_user
from tracker.extensions import db as _db
from tracker.plans.models import MilestoneScope
from tracker.reports.models import ProgressReport
from tracker.units.models import Unit, UnitKind
from tracker.units.services import update_unit
from tracker.users.models import Role
from tracker.commit import commit

TODAY = "2020-04-10"
DONE = ("submitted", "accepted")


# --- reading the pages -------------------------------------------------------------------


@dataclass
class Found:
    testid: str
    attrs: dict  # the element's attributes over those of every element around it
    text: str

    @property
    def number(self) -> int:
        return int(self.text.replace(".", "").replace(",", ""))


class _TestIds(HTMLParser):
    """Every element carrying data-testid, with its text and its ancestors' attributes."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict, list]] = []
        self.found: list[Found] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs), []))

    def handle_data(self, data):
        for _tag, _attrs, parts in self.stack:
            parts.append(data)

    def handle_endtag(self, tag):
        if not any(t == tag for t, _a, _p in self.stack):
            return
        while True:
            t, attrs, parts = self.stack.pop()
            if "data-testid" in attrs:
                context = {}
                for _t, outer, _p in self.stack:
                    context.update(outer)
                context.update(attrs)
                self.found.append(Found(attrs["data-testid"], context, " ".join("".join(parts).split())))
            if t == tag:
                return


def find_testids(html: str) -> list[Found]:
    parser = _TestIds()
    parser.feed(html)
    parser.close()
    return parser.found


def milestone_figures(html: str) -> dict[int, tuple[int, int, int, int]]:
    """{milestone id: (owing, handed in, accepted, late)} from the progress-* figures."""
    figures: dict[int, dict[str, int]] = {}
    for f in find_testids(html):
        if f.testid.startswith("progress-") and f.testid != "progress-pending":
            figures.setdefault(int(f.attrs["data-milestone"]), {})[f.testid[len("progress-"):]] = f.number
    return {m: (v["owing"], v["handed-in"], v["accepted"], v["late"]) for m, v in figures.items()}


def matrix_cells(html: str) -> dict[tuple[int, int], tuple[int, int, int]]:
    """{(unit id, milestone id): (handed in, owing, late)} from the dashboard's matrix."""
    cells: dict[tuple[int, int], dict[str, int]] = {}
    for f in find_testids(html):
        if f.testid == "matrix-figures":
            cells.setdefault((int(f.attrs["data-unit"]), int(f.attrs["data-milestone"])), {})
        elif f.testid in ("cell-handed-in", "cell-owing", "cell-late"):
            key = (int(f.attrs["data-unit"]), int(f.attrs["data-milestone"]))
            cells.setdefault(key, {})[f.testid] = f.number
    return {k: (v.get("cell-handed-in", 0), v.get("cell-owing", 0), v.get("cell-late", 0)) for k, v in cells.items()}


def statuses(html: str, milestone_attribute: str = "data-milestone") -> dict[int, str]:
    """{milestone id: obligation status} from a unit's list of obligations."""
    return {int(f.attrs[milestone_attribute]): f.attrs["data-obligation"]
            for f in find_testids(html) if f.testid == "obligation-status"}


def one(html: str, testid: str) -> Found:
    [found] = [f for f in find_testids(html) if f.testid == testid]
    return found


# --- the scope ---------------------------------------------------------------------------

# (first milestone, past due; second, not due) as each ward's reports stand before the changes.
WARDS = {
    "Phường Một": (None, None),
    "Phường Hai": ("draft", "draft"),
    "Phường Ba": ("submitted", "submitted"),
    "Phường Bốn": ("returned", "returned"),
    "Phường Năm": ("accepted", "accepted"),
    "Xã Sáu": ("resubmitted", "draft"),
    "Xã Bảy": ("accepted", "submitted"),  # becomes an agency afterwards
    "Phường Tám": ("draft", None),  # becomes an agency afterwards, having handed nothing in
}
# What each unit owes, and the status of it, on 10/04/2020: (first, second, the city's own).
EXPECTED = {
    "Phường Một": ("late", "not_started", None),
    "Phường Hai": ("late", "in_progress", None),
    "Phường Ba": ("submitted", "submitted", None),
    "Phường Bốn": ("late", "returned", None),
    "Phường Năm": ("accepted", "accepted", None),
    "Xã Sáu": ("submitted", "in_progress", None),
    "Xã Bảy": ("accepted", "submitted", None),  # re-kinded after handing in: kept
    "Phường Tám": (None, None, None),  # re-kinded before handing in: owes nothing
    "Phường Chín": ("late", "not_started", None),  # added after the plan and the reports
    "Thành phố Thử": (None, None, "not_started"),  # the issuer: its own conference
    "Phường Ngoài": (None, None, None),  # another city's ward
}


@dataclass
class Scope:
    plan: object
    milestones: list
    units: dict  # name -> Unit
    officers: dict  # ward name -> officer
    viewers: dict = field(default_factory=dict)  # "city" / "province" -> committee member


@pytest.fixture
def scope(db, app, monkeypatch) -> Scope:
    monkeypatch.setitem(app.config, "TRACKER_TODAY", TODAY)
    province = make_unit("Tỉnh Thử", UnitKind.PROVINCE)
    city = make_unit("Thành phố Thử", UnitKind.CITY, province)
    other_city = make_unit("Thành phố Khác", UnitKind.CITY, province)
    units = {"Thành phố Thử": city, "Phường Ngoài": make_unit("Phường Ngoài", UnitKind.WARD, other_city)}
    officers = {}
    for name in WARDS:
        units[name] = make_unit(name, UnitKind.COMMUNE if name.startswith("Xã") else UnitKind.WARD, city)
        officers[name] = make_user(Role.WARD_OFFICER, units[name])
    officers["Phường Ngoài"] = make_user(Role.WARD_OFFICER, units["Phường Ngoài"])
    viewers = {"city": make_user(Role.COMMITTEE, city), "province": make_user(Role.COMMITTEE, province)}
    plan = make_plan(city, number="7/KH-UBND")
    milestones = [
        make_milestone(plan, title="Hội nghị cấp xã, phường", start=date(2020, 1, 1), due=date(2020, 3, 31)),
        make_milestone(plan, title="Báo cáo sơ kết", start=date(2020, 1, 1), due=date(2020, 4, 30)),
        make_milestone(plan, title="Hội nghị thành phố", start=date(2020, 4, 20), due=date(2020, 4, 25),
                       scope=MilestoneScope.ISSUING_UNIT, kinds=""),
    ]
    for name, states in WARDS.items():
        for milestone, state in zip(milestones, states):
            if state is not None:
                make_report(officers[name], milestone, status=state, reviewer=viewers["city"])
    for name in ("Xã Bảy", "Phường Tám"):
        update_unit(None, units[name], name, units[name].code, UnitKind.AGENCY, city)
    units["Phường Chín"] = make_unit("Phường Chín", UnitKind.WARD, city)
    officers["Phường Chín"] = make_user(Role.WARD_OFFICER, units["Phường Chín"])
    commit()
    return Scope(plan, milestones, units, officers, viewers)


def expected_figures(per_unit: dict[str, dict[int, str]], milestones) -> dict[int, tuple[int, int, int, int]]:
    """(owing, handed in, accepted, late) per milestone, counted from each unit's statuses."""
    result = {}
    for m in milestones:
        found = [s[m.id] for s in per_unit.values() if m.id in s]
        result[m.id] = (len(found), sum(s in DONE for s in found), found.count("accepted"), found.count("late"))
    return result


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


# --- the test ----------------------------------------------------------------------------


def unit_statuses(client, login_as, scope: Scope) -> dict[str, dict[int, str]]:
    """Each unit's statuses as its own pages show them (home page and "My obligations" for a
    ward, agreeing with each other and with the committee's obligation pages)."""
    ids = [m.id for m in scope.milestones]
    per_unit = {}
    for name, officer in scope.officers.items():
        login_as(officer)
        home = statuses(get(client, "/"))
        assert statuses(get(client, "/reports/mine"), "data-milestone-id") == home, name
        per_unit[name] = home
    # The committee's obligation page of each unit: its status, or 404 when it owes nothing.
    per_unit["Thành phố Thử"] = {}
    login_as(scope.viewers["city"])
    for name, unit in scope.units.items():
        if name == "Phường Ngoài":  # outside the city: not even visible to its committee
            continue
        for m in scope.milestones:
            response = client.get(f"/deadlines/{m.id}/units/{unit.id}")
            assert response.status_code in (200, 404)
            shown = (one(response.get_data(as_text=True), "obligation-status").attrs["data-obligation"]
                     if response.status_code == 200 else None)
            if name == "Thành phố Thử":
                if shown:
                    per_unit[name][m.id] = shown
            else:
                assert shown == per_unit[name].get(m.id), (name, m.title)
    for name, wanted in EXPECTED.items():
        assert tuple(per_unit[name].get(i) for i in ids) == wanted, name
    return per_unit


@pytest.mark.parametrize("viewer", ["city", "province"])
def test_every_page_shows_the_same_figures(client, login_as, scope, viewer):
    per_unit = unit_statuses(client, login_as, scope)
    expected = expected_figures(per_unit, scope.milestones)
    first, second, conference = (m.id for m in scope.milestones)
    # Counted by hand: 8 owe each wards' milestone (Tám dropped out, Chín came in, Bảy stayed).
    assert expected == {first: (8, 4, 2, 4), second: (8, 3, 1, 0), conference: (1, 0, 0, 0)}

    plan_id = scope.plan.id
    user = scope.viewers[viewer]
    scope_unit = user.unit
    login_as(user)
    assert milestone_figures(get(client, f"/plans/{plan_id}")) == expected, "plan page"
    deadlines = get(client, f"/deadlines/?plan={plan_id}")
    assert milestone_figures(deadlines) == expected, "deadline view"
    dashboard = get(client, f"/dashboard/?plan={plan_id}")
    assert milestone_figures(dashboard) == expected, "dashboard"
    assert one(dashboard, "headline-late").number == sum(f[3] for f in expected.values()), "headline"
    # Both late lists name exactly the units whose obligation is late.
    late = {(m.id, name) for name, s in per_unit.items() for m in scope.milestones if s.get(m.id) == "late"}
    for html in (deadlines, dashboard):
        assert {(int(f.attrs["data-milestone"]), f.text) for f in find_testids(html)
                if f.testid == "late-unit-link"} == late

    # The matrix: one row per unit below the scope; each cell is that unit's subtree.
    cells = matrix_cells(dashboard)
    rows = {unit_id for unit_id, _m in cells}
    names = {u.id: n for n, u in scope.units.items()}
    for unit_id in rows:
        for m in scope.milestones:
            handed_in, owing, late = cells[(unit_id, m.id)]
            if viewer == "city":  # the rows are the wards: each cell is one obligation
                status = per_unit[names[unit_id]].get(m.id)
                assert (handed_in, owing, late) == (int(status in DONE), int(status is not None),
                                                    int(status == "late")), (names[unit_id], m.title)
    for m in scope.milestones:
        if viewer == "province" or m.scope is MilestoneScope.SUBUNITS:  # the city's own is in no ward's row
            summed = tuple(sum(cells[(u, m.id)][i] for u in rows) for i in range(3))
            assert summed == (expected[m.id][1], expected[m.id][0], expected[m.id][3]), ("matrix", m.title)

    # The export: the same rows and figures.
    response = client.get(f"/dashboard/matrix.xlsx?plan={plan_id}&unit={scope_unit.id}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    headers = [cell.value or "" for cell in sheet[3]]
    m = scope.milestones[0]
    assert headers[:2] == ["Đơn vị", "Loại"] and [h for h in headers if h.startswith(f"{m.title} –")] == [
        f"{m.title} – Phải nộp", f"{m.title} – Quá hạn"]  # in Vietnamese, every word
    column = {m.id: next(i for i, h in enumerate(headers) if h.startswith(f"{m.title} (")) for m in scope.milestones}
    table = [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]]
    assert len(table) == len(rows)
    by_name = {u.name: u.id for u in _db.session.scalars(_db.select(Unit).where(Unit.id.in_(rows)))}
    for row in table:
        unit_id = by_name[row[0]]
        for m in scope.milestones:
            done, owed, late = row[column[m.id]:column[m.id] + 3]
            assert (done, owed, late) == cells[(unit_id, m.id)], ("export", row[0], m.title)

    # The reports list marks late exactly the reports whose obligation is late.
    reports = {r.id: r for r in _db.session.scalars(_db.select(ProgressReport))}
    listed = find_testids(get(client, f"/reports/?plan={plan_id}"))
    shown = {int(f.attrs["data-report-id"]): f.attrs["data-obligation"] for f in listed if f.testid == "report-status"}
    wanted = {r.id: per_unit[r.unit.name].get(r.milestone_id) or "" for r in reports.values()}
    assert shown == wanted
    badges = {int(f.attrs["data-report-id"]) for f in listed if f.testid == "report-late"}
    assert badges == {i for i, status in wanted.items() if status == "late"} and badges
