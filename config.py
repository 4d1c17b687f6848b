"""Settings classes; every value can be overridden by an environment variable."""
import os
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-secret-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'tracker.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Pins "today" for every deadline computation (YYYY-MM-DD); empty means the real date.
    TRACKER_TODAY = os.environ.get("TRACKER_TODAY", "")
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TRACKER_TIMEZONE", "Asia/Ho_Chi_Minh")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "tracker" / "translations")
    LANGUAGES = ("vi", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    PER_PAGE = int(os.environ.get("PER_PAGE", "25"))
    # Rendered bodies of the most read pages, per worker, until data changes (tracker.pagecache);
    # 0 turns the cache off.
    PAGE_CACHE_MB = float(os.environ.get("PAGE_CACHE_MB", "32"))
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "ThiDua@2020")
    # Evidence files: kept outside the static folder, under random names.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(BASE_DIR / "instance" / "uploads"))
    REPORT_MAX_FILE_MB = int(os.environ.get("REPORT_MAX_FILE_MB", "10"))
    REPORT_MAX_TOTAL_MB = int(os.environ.get("REPORT_MAX_TOTAL_MB", "50"))
    # Nomination spreadsheets: a file with more rows, or larger, is refused whole.
    NOMINATION_IMPORT_MAX_ROWS = int(os.environ.get("NOMINATION_IMPORT_MAX_ROWS", "2000"))
    NOMINATION_IMPORT_MAX_MB = int(os.environ.get("NOMINATION_IMPORT_MAX_MB", "5"))
    # Every uploaded workbook (tracker.spreadsheets.reader) is refused whole past any of these:
    # its parts once unpacked (all of them, and any one), checked before anything is parsed;
    # then, while it is read, the last row and column, the cells of the sheet (and the distinct
    # texts of the workbook), and the seconds spent reading.
    SPREADSHEET_MAX_UNPACKED_MB = float(os.environ.get("SPREADSHEET_MAX_UNPACKED_MB", "50"))
    SPREADSHEET_MAX_PART_MB = float(os.environ.get("SPREADSHEET_MAX_PART_MB", "20"))
    SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", "10000"))
    SPREADSHEET_MAX_COLUMNS = int(os.environ.get("SPREADSHEET_MAX_COLUMNS", "100"))
    SPREADSHEET_MAX_CELLS = int(os.environ.get("SPREADSHEET_MAX_CELLS", "200000"))
    SPREADSHEET_MAX_SECONDS = float(os.environ.get("SPREADSHEET_MAX_SECONDS", "5"))
    # A whole request: room for a report's files plus its text, so that an oversized file
    # reaches the form check (and a form message) before this hard limit answers 413.
    MAX_CONTENT_LENGTH = int(
        os.environ.get("MAX_CONTENT_LENGTH", str((REPORT_MAX_TOTAL_MB + 5) * 1024 * 1024))
    )
    # Calendar feed: the alarm rings this many days before a milestone's due date.
    CALENDAR_ALARM_DAYS = int(os.environ.get("CALENDAR_ALARM_DAYS", "3"))
    # Reminders: obligations due within this many days (and those already late) are reminded.
    REMINDER_DAYS = int(os.environ.get("REMINDER_DAYS", "7"))
    # Mail: with MAIL_SERVER empty, messages are written as .eml files to MAIL_OUTBOX instead.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "thidua-khenthuong@localhost")
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX", str(BASE_DIR / "instance" / "outbox"))
    # The address the app is reached at, for links in e-mails ("https://thidua.example.gov.vn").
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    TRACKER_TODAY = ""
    # Fast hashing keeps the suite quick; production keeps Werkzeug's scrypt default.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    UPLOAD_FOLDER = os.environ.get(
        "TEST_UPLOAD_FOLDER", os.path.join(tempfile.gettempdir(), "tracker-test-uploads")
    )
    MAIL_SERVER = ""
    MAIL_OUTBOX = ""  # each test that sends mail points this at its own tmp_path


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def check(cls) -> None:
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
