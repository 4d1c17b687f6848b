"""The demo says on its public pages that its city and people are illustrative; a real
deployment does not, and every public page offers the way to sign in."""
import pytest

from tests.factories import make_plan
from tracker.commit import commit

NOTICE = "dữ liệu minh họa"


@pytest.mark.parametrize("notice", [True, False])
def test_the_public_pages_say_whether_the_data_is_illustrative(client, app, tree, monkeypatch, notice):
    monkeypatch.setitem(app.config, "DEMO_NOTICE", notice)
    plan = make_plan(tree["city_a"])
    commit()
    for url in ("/login", "/honour-roll/", f"/honour-roll/{plan.id}"):
        html = client.get(url).get_data(as_text=True)
        assert (NOTICE in html) is notice, url
        assert 'data-testid="sign-in-link"' in html, url


def test_signed_in_users_are_not_told_again(client, app, login_as, users, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_NOTICE", True)
    login_as(users["committee"])
    assert NOTICE not in client.get("/").get_data(as_text=True)
