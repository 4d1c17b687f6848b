"""A campaign in city A: a plan with two movements and the grassroots milestone (Q1/2020)."""
from datetime import date

import pytest

from tests.factories import make_milestone, make_plan
from tracker.plans.services import add_movement
from tracker.commit import commit


@pytest.fixture
def campaign(tree, users, db):
    plan = make_plan(tree["city_a"], number="156/KH-UBND")
    movements = [add_movement(None, plan, "Cả nước chung tay vì người nghèo", position=0),
                 add_movement(None, plan, "Văn hóa công sở", position=1)]
    grassroots = make_milestone(plan, title="Hội nghị điển hình tiên tiến cấp xã, phường",
                                start=date(2020, 1, 1), due=date(2020, 3, 31))
    dossier = make_milestone(plan, title="Nộp hồ sơ", start=date(2020, 4, 1), due=date(2020, 4, 15))
    other_plan = make_plan(tree["city_b"])
    other = make_milestone(other_plan, title="Hội nghị thành phố B")
    commit()
    return {"plan": plan, "movements": movements, "grassroots": grassroots, "dossier": dossier,
            "other_plan": other_plan, "other": other}


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    """Each test stores its files in its own folder."""
    folder = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(folder))
    return folder
