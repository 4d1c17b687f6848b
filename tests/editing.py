"""Two people editing the same record: a signed-in session each, and the version their form carries."""
import html as html_lib
import re

# Every conflict message says this (Vietnamese, the default language): what was typed is not saved.
NOTHING_SAVED = "Nội dung của bạn chưa được lưu"


def session_of(app, user):
    """A test client of its own (its own cookies), signed in as `user`."""
    from tests.conftest import sign_in_cookie

    client = app.test_client()
    sign_in_cookie(client, user)
    return client


def hidden(page: str, name: str = "version") -> str:
    """The value of the hidden input `name` of a rendered form."""
    match = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page)
    assert match, f"no hidden {name} in the form"
    value = re.search(r'\bvalue="([^"]*)"', match.group(0))
    return html_lib.unescape(value.group(1)) if value else ""


def open_form(client, url: str) -> str:
    """GET an edit form as a person would: its page, which must load."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def assert_conflict(response, *typed: str) -> str:
    """The save was refused as stale (409, the conflict message) and the form still holds `typed`."""
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert NOTHING_SAVED in page
    for text in typed:
        assert text in page, text
    return page
