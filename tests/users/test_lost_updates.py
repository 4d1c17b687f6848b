"""No lost update on accounts: a form from before someone else's save is refused."""
import pytest

from tests.editing import assert_conflict, hidden, open_form, session_of
from tests.factories import PASSWORD
from tracker.auth.services import authenticate
from tracker.errors import ConflictError
from tracker.throttle import throttle
from tracker.users import services
from tracker.users.models import Role, User


def _form(user, version, **overrides):
    data = {"version": version, "full_name": user.full_name, "email": user.email or "", "role": user.role.value,
            "unit_id": user.unit_id}
    return {**data, **overrides}


def test_an_account_saved_from_a_stale_version_is_refused(users, tree):
    officer = users["officer"]
    opened = officer.version
    services.update_user(users["admin"], officer, "Tên thứ nhất", None, Role.WARD_OFFICER, tree["ward_a1"],
                         expected_version=opened)
    with pytest.raises(ConflictError):
        services.update_user(users["admin"], officer, officer.full_name, None, Role.LEADER, tree["ward_a1"],
                             expected_version=opened)
    assert (officer.full_name, officer.role, officer.version) == ("Tên thứ nhất", Role.WARD_OFFICER, opened + 1)


def test_signing_in_does_not_make_the_admins_form_stale(app, users, tree, db):
    officer = users["officer"]
    opened = officer.version
    authenticate(officer.username, PASSWORD, app.config, throttle())
    services.update_user(users["admin"], officer, "Tên mới", None, Role.WARD_OFFICER, tree["ward_a1"],
                         expected_version=opened)
    assert officer.full_name == "Tên mới"


def test_two_sessions_edit_the_same_account(app, users, db):
    officer = users["officer"]
    first, second = session_of(app, users["admin"]), session_of(app, users["admin"])
    url = f"/admin/users/{officer.id}/edit"
    mine, theirs = hidden(open_form(first, url)), hidden(open_form(second, url))
    assert first.post(url, data=_form(officer, mine, full_name="Nguyễn Thị Lan")).status_code == 302
    response = second.post(url, data=_form(officer, theirs, email="lan@phuong-a1.vn", role="leader"))
    assert_conflict(response, 'value="lan@phuong-a1.vn"', 'selected value="leader"')
    db.session.expire_all()
    stored = db.session.get(User, officer.id)
    assert (stored.full_name, stored.email, stored.role) == ("Nguyễn Thị Lan", None, Role.WARD_OFFICER)
