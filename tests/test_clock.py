"""All "today" logic reads one clock, which a setting can pin."""
from datetime import date

from tracker import clock


def test_pinned_today(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "2020-03-16")
    assert clock.today() == date(2020, 3, 16)


def test_real_today_without_the_setting(app, monkeypatch):
    monkeypatch.setitem(app.config, "TRACKER_TODAY", "")
    assert abs((clock.today() - date.today()).days) <= 1
