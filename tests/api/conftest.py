"""API fixtures: city A's active plan with two movements and a milestone its wards owe, the
award catalogue, records of ward A1 and ward B1, and a token per user."""
from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import make_milestone, make_nomination, make_plan, make_report
from tracker.awards import services as awards
from tracker.catalogue.models import AwardType
from tracker.catalogue.regimes import regime_for
from tracker.catalogue.services import load_catalogue
from tracker.commit import commit
from tracker.plans.services import add_movement
from tracker.tokens import services as tokens
from tracker.tokens.models import TokenScope

TODAY = date(2020, 4, 10)


@pytest.fixture(autouse=True)
def _today(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", TODAY.isoformat())


@pytest.fixture
def plan(tree, db):
    plan = make_plan(tree["city_a"], number="156/KH-UBND", title="Kế hoạch tổ chức Hội nghị điển hình tiên tiến")
    add_movement(None, plan, "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau")
    add_movement(None, plan, "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở")
    make_milestone(plan, title="Hội nghị điển hình tiên tiến cấp cơ sở", start=date(2020, 1, 1),
                   due=date(2020, 3, 31))
    make_milestone(plan, title="Báo cáo kết quả", start=date(2020, 4, 1), due=date(2020, 5, 15))
    load_catalogue(None)
    commit()
    return plan


@pytest.fixture
def other_plan(tree, db):
    plan = make_plan(tree["city_b"], number="99/KH-UBND")
    add_movement(None, plan, "Phong trào thành phố B")
    make_milestone(plan, title="Hội nghị của thành phố B")
    commit()
    return plan


@pytest.fixture
def records(users, plan, other_plan, db):
    """A submitted nomination and a submitted report of ward A1, the same of ward B1."""
    own = make_nomination(users["officer"], plan, name="Trần Thị Mai", status="submitted")
    other = make_nomination(users["officer_b"], other_plan, name="Lê Quang Minh", status="submitted")
    own_report = make_report(users["officer"], plan.milestones[0], status="submitted", today=TODAY)
    # A draft proposal of city B, from an accepted nomination of ward B1.
    accepted = make_nomination(users["officer_b"], other_plan, name="Đỗ Văn Bình", status="accepted",
                               reviewer=users["committee_b"], unit=users["officer_b"].unit)
    award = db.session.scalar(select(AwardType).where(AwardType.code == "GIAY_KHEN", AwardType.regime == regime_for(TODAY)))
    other_proposal = awards.create_proposal(users["committee_b"], other_plan.issuing_unit, "7/TTr-UBND", TODAY,
                                            award, "Chủ tịch UBND thành phố B", [accepted], plan=other_plan)
    other_report = make_report(users["officer_b"], other_plan.milestones[0], status="submitted", today=TODAY)
    commit()
    return {"own_nomination": own, "other_nomination": other, "own_report": own_report,
            "other_report": other_report, "other_proposal": other_proposal}


@pytest.fixture
def token_of(users):
    """token_of(user, scope="write") -> the secret of a new token of that user."""

    def make(user, scope: str = "write", days: int = 90) -> str:
        _token, secret = tokens.create_token(user, f"Hệ thống {user.username}", TokenScope(scope), days)
        commit()
        return secret

    return make


@pytest.fixture
def api(client):
    """api(method, url, token, json=None, **headers) -> the response."""

    def call(method: str, url: str, token: str | None = None, json=None, **headers):
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return client.open(url, method=method, json=json, headers=headers)

    return call
