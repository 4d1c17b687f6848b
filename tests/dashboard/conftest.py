"""A province campaign small enough to count by hand (the counts are written next to it)."""
from datetime import date

import pytest

from tests.factories import make_milestone, make_nomination, make_plan, make_report, make_user
from tracker.plans.models import MilestoneScope
from tracker.plans.services import add_movement
from tracker.users.models import Role
from tracker.commit import commit

TODAY = "2020-04-10"


@pytest.fixture
def campaign(tree, users, db, app, monkeypatch):
    """Plan of the province (two movements); today 10/04/2020.

    Grassroots milestone (wards and communes, due 31/03/2020, past due), owed by 4 units:
        Phường A1 submitted, Phường B1 accepted, Xã A2 a draft (late), Phường B2 nothing (late).
    Province conference (the province itself, due 25/04/2020): not due yet, nothing handed in.
    Nominations (movement, kind, status):
        Phường A1: (1, individual, submitted) x2, (2, collective, accepted)
        Xã A2:     (1, collective, returned)
        Phường B1: (1, individual, draft), (2, individual, rejected)
    """
    monkeypatch.setitem(app.config, "TRACKER_TODAY", TODAY)
    province = tree["province"]
    committee = make_user(Role.COMMITTEE, province, "committee_p")
    plan = make_plan(province, number="12/KH-UBND")
    first = add_movement(None, plan, "Phong trào một", position=0)
    second = add_movement(None, plan, "Phong trào hai", position=1)
    grassroots = make_milestone(plan, title="Hội nghị cấp xã, phường", start=date(2020, 1, 1), due=date(2020, 3, 31))
    conference = make_milestone(plan, title="Hội nghị tỉnh", start=date(2020, 4, 20), due=date(2020, 4, 25),
                                scope=MilestoneScope.ISSUING_UNIT, kinds="")
    officer_a2 = users["officer_a2"]
    officer_b2 = make_user(Role.WARD_OFFICER, tree["ward_b2"], "officer_b2")
    make_report(users["officer"], grassroots, status="submitted")
    make_report(users["officer_b"], grassroots, status="accepted", reviewer=committee)
    make_report(officer_a2, grassroots, status="draft")
    make_nomination(users["officer"], plan, first, name="Nguyễn Văn Một", status="submitted")
    make_nomination(users["officer"], plan, first, name="Nguyễn Văn Hai", status="submitted")
    make_nomination(users["officer"], plan, second, name="Tổ dân phố 1", kind="collective", status="accepted",
                    reviewer=committee)
    make_nomination(officer_a2, plan, first, name="Hợp tác xã A2", kind="collective", status="returned",
                    reviewer=committee)
    make_nomination(users["officer_b"], plan, first, name="Trần Thị Ba", status="draft")
    make_nomination(users["officer_b"], plan, second, name="Lê Văn Bốn", status="rejected", reviewer=committee)
    commit()
    return {"plan": plan, "movements": [first, second], "grassroots": grassroots, "conference": conference,
            "committee": committee, "officer_b2": officer_b2}
