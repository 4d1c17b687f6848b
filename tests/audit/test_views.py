"""Admins browse and filter the audit trail; it is scoped and append-only by construction."""
from tests.factories import PASSWORD, make_nomination
from tests.nominations.conftest import plan  # noqa: F401  (the nominations' plan fixture)
from tracker.commit import commit


def _rows(html: str) -> str:
    """The audit table's body: what the log says, without the filters' own options."""
    return html[html.index('data-testid="audit-events"'):]


def test_audit_lists_sign_ins_and_changes(client, login_as, users, app):
    other = app.test_client()
    other.post("/login", data={"username": "officer_a1", "password": "wrong-password-x"})
    other.post("/login", data={"username": "officer_a1", "password": PASSWORD})
    login_as(users["admin"])
    rows = _rows(client.get("/audit/").get_data(as_text=True))
    assert 'data-action="auth.login_failed">Đăng nhập không thành công' in rows
    assert 'data-action="auth.login">Đăng nhập –' in rows
    assert "Tạo tài khoản – " in rows and "officer_a1" in rows and ">auth.login" not in rows


def test_audit_filters(client, login_as, users, app):
    app.test_client().post("/login", data={"username": "officer_a1", "password": "wrong-password-x"})
    login_as(users["admin"])
    html = client.get("/audit/?action=auth.login_failed").get_data(as_text=True)
    assert '<option selected value="auth.login_failed">Đăng nhập không thành công</option>' in html
    rows = _rows(html)
    assert "Đăng nhập không thành công" in rows and "Tạo tài khoản" not in rows
    assert "Đăng nhập không thành công" not in _rows(client.get("/audit/?username=nobody-here").get_data(as_text=True))


def test_audit_is_scoped_to_the_subtree(client, login_as, users):
    login_as(users["admin"])
    rows = _rows(client.get("/audit/?action=user.created").get_data(as_text=True))
    assert "officer_a1" in rows and "officer_b1" not in rows


def test_bad_date_filter_is_not_a_500(client, login_as, users):
    login_as(users["admin"])
    response = client.get("/audit/?date_from=31/02/2020")
    assert response.status_code == 200


def test_the_log_speaks_in_words_with_the_fields_by_their_names(client, login_as, users, plan):
    from tracker.nominations import services as nominations

    nomination = make_nomination(users["officer"], plan, name="Nguyễn Văn Hòa", status="submitted")
    nominations.return_nomination(users["committee"], nomination, "Bổ sung minh chứng.")
    commit()
    login_as(users["admin"])
    rows = _rows(client.get("/audit/").get_data(as_text=True))
    assert "Trả lại đề cử của Nguyễn Văn Hòa" in rows and "Gửi đề cử của Nguyễn Văn Hòa" in rows
    assert "Hồ sơ đề cử: Nguyễn Văn Hòa" in rows and ">nomination.returned" not in rows
    assert "Trạng thái: Đã gửi → Trả lại để bổ sung" in rows, rows  # the field and its values by their names
    nominations_only = _rows(client.get("/audit/?entity_type=Nomination").get_data(as_text=True))
    assert "Trả lại đề cử của Nguyễn Văn Hòa" in nominations_only and "Tạo tài khoản" not in nominations_only
