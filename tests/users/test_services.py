"""Accounts: password policy, uniqueness, changes and their audit."""
import pytest
from sqlalchemy import select

from tests.factories import PASSWORD
from tracker.audit.models import AuditEvent
from tracker.errors import DomainError
from tracker.users import services
from tracker.users.models import Role


@pytest.mark.parametrize("password", ["short-9", "123456789", "1234567890", "Password123", "matkhau123", "QWERTYUIOP"])
def test_weak_passwords_refused(password):
    assert services.password_problem(password) is not None


def test_password_containing_the_username_refused():
    assert services.password_problem("nguyenvana-2020", "nguyenvana") is not None


def test_good_password_accepted():
    assert services.password_problem("Hoi-nghi-dien-hinh-2020") is None


def test_create_user_hashes_and_audits(db, tree):
    user = services.create_user(None, "CanBo.A1", "Cán bộ A1", Role.WARD_OFFICER, tree["ward_a1"], PASSWORD)
    assert user.username == "canbo.a1"
    assert user.password_hash != PASSWORD and user.check_password(PASSWORD)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.created")).entity_id == user.id


def test_duplicate_username_refused(db, users, tree):
    with pytest.raises(DomainError) as error:
        services.create_user(None, "OFFICER_A1", "X", Role.LEADER, tree["city_a"], PASSWORD)
    assert error.value.field == "username"


def test_weak_password_refused_on_create(db, tree):
    with pytest.raises(DomainError) as error:
        services.create_user(None, "someone", "X", Role.LEADER, tree["city_a"], "123")
    assert error.value.field == "password"


def test_update_user_records_changes(db, users, tree):
    officer = users["officer"]
    services.update_user(users["admin"], officer, "Tên mới", None, Role.LEADER, tree["ward_a2"])
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.updated")).one()
    assert '"role": ["ward_officer", "leader"]' in event.changes
    assert officer.unit_id == tree["ward_a2"].id


def test_deactivate_and_reset(db, users):
    officer = users["officer"]
    services.set_active(users["admin"], officer, False)
    assert officer.active is False and officer.is_active is False
    services.reset_password(users["admin"], officer, "Mat-khau-moi-2020")
    assert officer.check_password("Mat-khau-moi-2020")
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))][-2:]
    assert actions == ["user.deactivated", "user.password_reset"]
