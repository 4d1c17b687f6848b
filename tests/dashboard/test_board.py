"""The campaign dashboard: figures against the hand-counted campaign of tests/dashboard/conftest.py,
at province, city and ward scope, the movement filter, the matrix and its links, the export."""
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.spreadsheets.formulas import HOSTILE, assert_text_only
from tracker.dashboard import queries
from tracker.plans.services import add_movement
from tracker.candidates.models import CandidateKind
from tracker.nominations.models import NominationStatus as S
from tracker.commit import commit

TODAY = date(2020, 4, 10)


def _board(campaign, scope, movement=None, page=1, per_page=25):
    plan = campaign["plan"]
    chain = queries.scope_and_ancestors(scope.id)
    return queries.board(plan, scope, chain, campaign["movements"], movement, TODAY, page=page, per_page=per_page)


def _statuses(board):
    return {s.value: n for s, n in board.statuses.items() if n}


def _cells(row):
    return [(c.progress.handed_in, c.progress.total, c.progress.late, c.state) for c in row.cells]


def test_province_scope_rolls_up_every_ward(campaign, tree):
    board = _board(campaign, tree["province"])
    grassroots, conference = board.progress
    assert (grassroots.total, grassroots.handed_in, grassroots.accepted, grassroots.late) == (4, 2, 1, 2)
    assert (conference.total, conference.handed_in, conference.late) == (1, 0, 0)  # not due yet
    assert board.late_total == 2
    assert _statuses(board) == {"submitted": 2, "accepted": 1, "returned": 1, "draft": 1, "rejected": 1}
    assert board.nominations_total == 6 and board.accepted == 1
    # Handed in: neither drafts nor withdrawn ones.
    assert board.kinds[CandidateKind.INDIVIDUAL] == {"handed_in": 3, "accepted": 0, "awarded": 0}
    assert board.kinds[CandidateKind.COLLECTIVE] == {"handed_in": 2, "accepted": 1, "awarded": 0}
    # The rows are the cities, each summed over its wards.
    assert [r.unit.name for r in board.rows] == ["Thành phố A", "Thành phố B"]
    city_a, city_b = board.rows
    assert _cells(city_a) == [(1, 2, 1, "late"), (0, 0, 0, "none")]
    assert _cells(city_b) == [(1, 2, 1, "late"), (0, 0, 0, "none")]
    assert (city_a.nominations_total, city_b.nominations_total) == (4, 2)
    assert city_a.has_children and not city_a.cells[0].owes_itself
    # By movement: first (2 submitted, 1 returned, 1 draft), second (1 accepted, 1 rejected).
    first, second = board.by_movement
    assert first.total == 4 and first.counts[S.SUBMITTED] == 2 and first.counts[S.DRAFT] == 1
    assert second.total == 2 and second.counts[S.REJECTED] == 1
    # The late list: the two late grassroots units, in tree order.
    [(progress, units)] = board.late
    assert progress.milestone.id == campaign["grassroots"].id
    assert sorted(u.name for u in units) == ["Phường B2", "Xã A2"]


def test_city_scope_shows_its_wards(campaign, tree):
    board = _board(campaign, tree["city_a"])
    grassroots, conference = board.progress
    assert (grassroots.total, grassroots.handed_in, grassroots.late) == (2, 1, 1)
    assert conference.total == 0  # the province's own milestone
    assert _statuses(board) == {"submitted": 2, "accepted": 1, "returned": 1}
    assert board.individuals == 2 and board.collectives == 2
    rows = {r.unit.name: r for r in board.rows}
    assert set(rows) == {"Phường A1", "Xã A2"}
    assert _cells(rows["Phường A1"]) == [(1, 1, 0, "done"), (0, 0, 0, "none")]
    assert _cells(rows["Xã A2"]) == [(0, 1, 1, "late"), (0, 0, 0, "none")]
    assert rows["Xã A2"].cells[0].owes_itself and not rows["Xã A2"].has_children
    assert rows["Phường A1"].nominations_total == 3 and rows["Xã A2"].nominations_total == 1
    [(_p, units)] = board.late
    assert [u.name for u in units] == ["Xã A2"]


def test_ward_scope_shows_the_ward_itself(campaign, tree):
    board = _board(campaign, tree["ward_b2"])
    [row] = board.rows
    assert row.unit.id == tree["ward_b2"].id
    assert _cells(row) == [(0, 1, 1, "late"), (0, 0, 0, "none")]
    assert board.nominations_total == 0 and board.late_total == 1
    board = _board(campaign, tree["ward_b1"])
    assert _cells(board.rows[0]) == [(1, 1, 0, "done"), (0, 0, 0, "none")]
    assert _statuses(board) == {"draft": 1, "rejected": 1}
    assert board.late == []


def test_movement_filter_applies_to_every_nomination_figure(campaign, tree):
    first = campaign["movements"][0]
    board = _board(campaign, tree["province"], movement=first)
    assert _statuses(board) == {"submitted": 2, "returned": 1, "draft": 1}
    assert [r.nominations_total for r in board.rows] == [3, 1]
    assert board.individuals == 2 and board.collectives == 1
    # Milestones have nothing to do with movements.
    assert board.progress[0].late == 2


def test_the_province_conference_is_owed_by_the_province_only(campaign, tree, app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-04-30")
    board = queries.board(campaign["plan"], tree["province"], [tree["province"]], campaign["movements"], None,
                          date(2020, 4, 30))
    assert (board.progress[1].total, board.progress[1].late) == (1, 1)
    late = {p.milestone.id: [u.name for u in units] for p, units in board.late}
    assert late[campaign["conference"].id] == ["Tỉnh Thử Nghiệm"]


def test_rows_are_paginated_with_the_total_from_the_figures(campaign, tree):
    board = _board(campaign, tree["province"], page=2, per_page=1)
    assert board.page.total == 2 and board.page.pages == 2
    assert [r.unit.name for r in board.rows] == ["Thành phố B"]


def test_figures_follow_a_change(campaign, tree, users, db):
    from tests.factories import make_report

    make_report(campaign["officer_b2"], campaign["grassroots"], status="submitted")
    commit()
    board = _board(campaign, tree["province"])
    assert (board.progress[0].handed_in, board.progress[0].late) == (3, 1)


# --- the page ----------------------------------------------------------------------------


def _page(client, login_as, user, **args):
    login_as(user)
    response = client.get("/dashboard/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_page_shows_the_figures_and_links(client, login_as, campaign, tree):
    html = _page(client, login_as, campaign["committee"])
    assert '<div class="display-6 status-late" data-figure="late" data-testid="headline-late">2</div>' in html
    assert 'data-figure="nominations">6<' in html
    assert 'data-figure="individuals">3<' in html and 'data-figure="collectives">2<' in html
    # A city row opens the city's dashboard, with the same plan.
    plan_id = campaign["plan"].id
    assert f'href="/dashboard/?plan={plan_id}&amp;unit={tree["city_a"].id}" data-testid="drill-down"' in html
    assert html.count('data-state="late"') == 2
    # Charts come with their tables; the script is the app's own file.
    for testid in ("by-movement", "by-unit", "by-week"):
        assert f'data-testid="{testid}"' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html and "<script>" not in html


def test_a_late_ward_cell_opens_its_obligation(client, login_as, campaign, tree):
    html = _page(client, login_as, campaign["committee"], unit=tree["city_a"].id)
    milestone, ward = campaign["grassroots"].id, tree["ward_a2"].id
    cell = re.search(rf'<td class="text-center cell-late" data-state="late" data-milestone="{milestone}"[^>]*>\s*'
                     rf'<a href="([^"]+)"', html)
    assert cell.group(1) == f"/deadlines/{milestone}/units/{ward}"
    assert client.get(cell.group(1)).status_code == 200


def test_filters_live_in_the_url(client, login_as, campaign, tree):
    first = campaign["movements"][0]
    html = _page(client, login_as, campaign["committee"], plan=campaign["plan"].id, unit=tree["city_b"].id,
                 movement=first.id)
    assert f'data-movement="{first.id}"' in html and f'data-scope="{tree["city_b"].id}"' in html
    assert f'<option selected value="{first.id}">' in html
    assert f'name="unit" type="hidden" value="{tree["city_b"].id}"' in html
    # The export link keeps the filters.
    assert (f'/dashboard/matrix.xlsx?plan={campaign["plan"].id}&amp;unit={tree["city_b"].id}'
            f'&amp;movement={first.id}') in html


@pytest.mark.parametrize("args", [{"unit": "ward_b1"}, {"plan": "other"}])
def test_out_of_reach_filters_are_404(client, login_as, users, campaign, tree, args):
    from tests.factories import make_plan

    values = {"unit": tree["ward_b1"].id} if "unit" in args else {}
    if "plan" in args:
        values["plan"] = make_plan(tree["city_b"]).id
    login_as(users["committee"])  # city A's committee
    assert client.get("/dashboard/", query_string=values).status_code == 404


def test_a_movement_of_another_plan_is_ignored(client, login_as, campaign, tree):
    from tests.factories import make_plan

    other = make_plan(tree["province"], number="13/KH-UBND")
    stale = add_movement(None, other, "Phong trào khác")
    html = _page(client, login_as, campaign["committee"], plan=campaign["plan"].id, movement=stale.id)
    assert 'data-testid="movement-filter"' not in html and 'data-figure="nominations">6<' in html


def test_city_committee_sees_the_province_plan_from_its_city(client, login_as, users, campaign, tree):
    html = _page(client, login_as, users["committee"], plan=campaign["plan"].id)
    assert 'data-figure="nominations">4<' in html  # city A's only
    assert "Phường B1" not in html and "Thành phố B" not in html


def test_ward_officers_have_no_dashboard(client, login_as, users, campaign):
    login_as(users["officer"])
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/matrix.xlsx").status_code == 403


def test_without_a_plan_the_page_says_so(client, login_as, users):
    login_as(users["leader"])
    response = client.get("/dashboard/")
    assert response.status_code == 200 and 'data-testid="matrix"' not in response.get_data(as_text=True)
    assert client.get("/dashboard/matrix.xlsx").status_code == 404


# --- the export --------------------------------------------------------------------------


def test_matrix_export(client, login_as, campaign, tree):
    login_as(campaign["committee"])
    response = client.get("/dashboard/matrix.xlsx", query_string={"plan": campaign["plan"].id})
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0].startswith("12/KH-UBND – Tỉnh Thử Nghiệm")
    headers = rows[2]
    assert len(headers) == 2 + 3 * 2 + 2 and headers[2].startswith("Hội nghị cấp xã, phường (31/03/2020)")
    body = {r[0]: r[2:] for r in rows[3:]}
    assert body["Thành phố A"] == [1, 2, 1, 0, 0, 0, 4, 1]
    assert body["Thành phố B"] == [1, 2, 1, 0, 0, 0, 2, 0]
    late_cell = sheet.cell(row=4, column=5)
    assert late_cell.value == 1 and late_cell.fill.fgColor.rgb.endswith("F8D7DA")
    assert sheet.cell(row=4, column=8).fill.fgColor.rgb in ("00000000", None)  # nothing late: no fill


def test_matrix_export_follows_the_filters(client, login_as, campaign, tree):
    login_as(campaign["committee"])
    second = campaign["movements"][1]
    response = client.get("/dashboard/matrix.xlsx", query_string={
        "plan": campaign["plan"].id, "unit": tree["city_a"].id, "movement": second.id})
    sheet = load_workbook(io.BytesIO(response.data)).active
    body = {r[0].value: [c.value for c in r[2:]] for r in sheet.iter_rows(min_row=4)}
    assert body == {"Phường A1": [1, 1, 0, 0, 0, 0, 1, 1], "Xã A2": [0, 1, 1, 0, 0, 0, 0, 0]}


def test_no_formula_reaches_the_matrix(client, login_as, campaign, tree, db):
    tree["city_a"].name, tree["city_b"].name = HOSTILE[0], HOSTILE[1]
    campaign["grassroots"].title, campaign["conference"].title = HOSTILE[2], HOSTILE[3]  # headers start with them
    campaign["plan"].number = HOSTILE[4]  # so does the heading
    commit()
    login_as(campaign["committee"])
    response = client.get("/dashboard/matrix.xlsx", query_string={"plan": campaign["plan"].id})
    assert response.status_code == 200
    assert_text_only(response.data, HOSTILE[:2])


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_fast_number_format_matches_babel(app, locale):
    from flask_babel import force_locale, format_decimal

    from tracker.formatting import format_number

    with app.test_request_context("/"), force_locale(locale):
        for value in (0, 7, 999, 1000, 15_000, 1_234_567, 1_000_000_000):
            assert format_number(value) == format_decimal(value)


def test_a_city_dashboards_ward_row_opens_the_wards_own_dashboard(client, login_as, campaign, tree):
    plan_id = campaign["plan"].id
    html = _page(client, login_as, campaign["committee"], plan=plan_id, unit=tree["city_a"].id)
    ward = f'/dashboard/?plan={plan_id}&amp;unit={tree["ward_a1"].id}'
    assert f'href="{ward}" data-testid="drill-down"' in html
    ward_page = client.get(ward.replace("&amp;", "&")).get_data(as_text=True)
    assert 'data-testid="drill-down"' not in ward_page  # the ward's own row: nothing further down
    assert "Phường A1" in ward_page


def test_printing_puts_every_row_of_the_matrix_on_one_page(client, login_as, db, campaign, tree):
    from tests.factories import make_unit
    from tracker.stats.counters import rebuild

    for number in range(queries.PER_PAGE):  # with the fixture's two cities, more than a page
        make_unit(f"Thành phố In {number}", parent=tree["province"])
    commit()
    rebuild(db.session)
    commit()
    html = _page(client, login_as, campaign["committee"], plan=campaign["plan"].id)  # the province's
    paged = set(re.findall(r'<tr data-unit="(\d+)"', html))
    link = re.search(r'data-testid="print-all"\s+href="([^"]+)"', html)
    assert link and len(paged) == queries.PER_PAGE  # one page of rows, and the way to print them all
    printed = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    rows = set(re.findall(r'<tr data-unit="(\d+)"', printed))
    assert len(rows) == queries.PER_PAGE + 2 and paged < rows  # every city of the province
    assert 'data-testid="printing-all"' in printed and 'data-testid="print-now"' in printed
    assert 'class="pagination' not in printed
