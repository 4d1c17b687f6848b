"""Nomination fixtures: an active plan of city A with two movements, the award catalogue."""
from datetime import date

import pytest

from tests.factories import make_plan
from tracker.catalogue.services import load_catalogue
from tracker.plans.services import add_movement
from tracker.commit import commit

TODAY = date(2020, 4, 10)


@pytest.fixture
def plan(tree, db):
    plan = make_plan(tree["city_a"], number="156/KH-UBND", title="Kế hoạch tổ chức Hội nghị điển hình tiên tiến")
    add_movement(None, plan, "Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau")
    add_movement(None, plan, "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở")
    load_catalogue(None)
    commit()
    return plan


@pytest.fixture
def other_plan(tree, db):
    plan = make_plan(tree["city_b"], number="99/KH-UBND")
    add_movement(None, plan, "Phong trào thành phố B")
    commit()
    return plan


@pytest.fixture
def outbox(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "MAIL_OUTBOX", str(tmp_path / "outbox"))
    return tmp_path / "outbox"
