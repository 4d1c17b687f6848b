"""Settings classes; every value can be overridden by an environment variable."""
import logging
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def secret_key() -> str | None:
    """SECRET_KEY, or the contents of the file SECRET_KEY_FILE names; None when neither is set.

    There is no default in the source: a key anyone can read signs cookies anyone can forge.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = os.environ.get("SECRET_KEY_FILE")
    if path and Path(path).is_file():
        return Path(path).read_text(encoding="utf-8").strip() or None
    return None


def ephemeral_secret_key() -> str:
    """A key for this process only, with a loud warning: sessions will not survive a restart
    and will not be shared with other workers."""
    logging.getLogger("tracker").warning(
        "SECRET_KEY is not set: this process signs sessions with a random key of its own. "
        "Sessions end when it restarts and are not shared with other workers or servers. "
        "Set SECRET_KEY (or SECRET_KEY_FILE) to a long random value."
    )
    return secrets.token_hex(32)


def _limit(name: str, default: str) -> str:
    return os.environ.get(name, default)


class Config:
    SECRET_KEY = None  # read by create_app() through secret_key(); never a string in the source
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'tracker.sqlite3'}"
    )
    # A pooled connection is tested (one round trip) before use only when it has been idle this
    # long; one used moments ago is taken as it is (tracker/connections.py). 0: test every time.
    DB_PING_AFTER_IDLE_SECONDS = float(os.environ.get("DB_PING_AFTER_IDLE_SECONDS", "5"))
    # PostgreSQL: worker processes a statement may start (tracker.connections): 0, one process each.
    DB_PARALLEL_WORKERS = int(os.environ.get("DB_PARALLEL_WORKERS", "0"))
    # Pins the tracker's day (YYYY-MM-DD): every deadline, and every timestamp it records (that day
    # at the real time of day; see tracker.clock). Empty means the real date. Sessions and sign-in
    # throttling always run on the real time.
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
    # Sessions live on the server (the user_sessions table): signing out, a password change, a
    # deactivation or a new role or unit ends them on every worker. A session also ends after
    # this long without a request, and this long after sign-in whatever happens.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", str(8 * 60)))
    SESSION_MAX_DAYS = float(os.environ.get("SESSION_MAX_DAYS", "7"))
    # A page that only reads (GET, HEAD) may take the session and its user as this worker read
    # them at most this many seconds before (and after the browser's own last change) instead of
    # reading them again: a change made on another worker (a sign-out, a deactivation, a new
    # role) reaches such reads within this bound; every form sent (POST) reads afresh, and this
    # worker forgets at once what it ends itself (tracker.users.sessions). 0: read every time.
    SESSION_RECHECK_SECONDS = float(os.environ.get("SESSION_RECHECK_SECONDS", "2"))
    PERMANENT_SESSION_LIFETIME = timedelta(days=SESSION_MAX_DAYS)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Shared state of every worker and server (throttling counts; later the page cache and the
    # job queue). Empty: each process keeps its own, in memory.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # The job queue (tracker.tasks): Celery workers take heavy work (exports, imports, documents,
    # figures) through this broker. Empty (no REDIS_URL either): jobs run in this process, in a
    # thread (JOBS_IN_PROCESS="thread") or at once ("eager").
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "")
    JOBS_IN_PROCESS = os.environ.get("JOBS_IN_PROCESS", "thread")
    # The queue's name on the broker: servers and workers of one installation share it.
    JOB_QUEUE_NAME = os.environ.get("JOB_QUEUE_NAME", "tracker")
    # A running job whose worker has not reported for this long is handed to another worker;
    # after JOB_MAX_ATTEMPTS such hand-overs it fails (its owner is told).
    JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", "300"))
    JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
    JOB_VISIBILITY_SECONDS = int(os.environ.get("JOB_VISIBILITY_SECONDS", str(6 * 3600)))
    # A finished job's file is kept this many days, then removed with the job's result.
    JOB_KEEP_DAYS = int(os.environ.get("JOB_KEEP_DAYS", "7"))
    # The scheduler sends the morning reminders at this hour, in the tracker's time zone.
    REMINDER_HOUR = int(os.environ.get("REMINDER_HOUR", "7"))
    # Files (evidence, exports): a local folder (UPLOAD_FOLDER) unless STORAGE_URL names an
    # S3-compatible bucket ("s3://bucket/prefix"); STORAGE_ENDPOINT_URL for MinIO, Ceph or a
    # provider's service; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
    STORAGE_URL = os.environ.get("STORAGE_URL", "")
    STORAGE_ENDPOINT_URL = os.environ.get("STORAGE_ENDPOINT_URL", "")
    STORAGE_REGION = os.environ.get("STORAGE_REGION", "us-east-1")
    # Behind a reverse proxy, how many proxies in front of the app set X-Forwarded-For/-Proto.
    # 0 (the default) ignores those headers: anyone could write them.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Sign-in throttling. A (username, address) pair is refused after LOGIN_MAX_FAILURES failures
    # within LOGIN_WINDOW_MINUTES; a username is slowed down, step by step, for addresses it has
    # never signed in from (its owner's usual addresses keep working); one address may try only
    # so many sign-ins. Limits are "N per M unit" separated by ";" (the limits library's syntax).
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))
    LOGIN_LIMIT_PER_USERNAME = _limit("LOGIN_LIMIT_PER_USERNAME", "10 per 15 minutes;20 per hour;50 per day")
    LOGIN_LIMIT_PER_ADDRESS = _limit("LOGIN_LIMIT_PER_ADDRESS", "30 per minute;300 per hour")
    # An address is the owner's own once they signed in from it within this many days.
    LOGIN_KNOWN_ADDRESS_DAYS = int(os.environ.get("LOGIN_KNOWN_ADDRESS_DAYS", "90"))
    EXPORT_LIMIT_PER_USER = _limit("EXPORT_LIMIT_PER_USER", "10 per minute;60 per hour")
    IMPORT_LIMIT_PER_USER = _limit("IMPORT_LIMIT_PER_USER", "10 per minute;60 per hour")
    # The JSON API: unknown or revoked tokens per address (as failed sign-ins), and each token's calls.
    API_TOKEN_FAILURES_PER_ADDRESS = _limit("API_TOKEN_FAILURES_PER_ADDRESS", "30 per minute;300 per hour")
    API_LIMIT_PER_TOKEN = _limit("API_LIMIT_PER_TOKEN", "300 per minute;10000 per hour")
    # The working days an authority has to decide on a proposal, by the proposing unit's kind,
    # over the defaults of tracker/rules/workdays.py: "ward=10,commune=10,city=20".
    PROPOSAL_PROCESSING_DAYS = os.environ.get("PROPOSAL_PROCESSING_DAYS", "")
    # The share of a council's members who must be present for its votes to be recorded; a
    # meeting keeps the share it was scheduled under.
    COUNCIL_QUORUM = os.environ.get("COUNCIL_QUORUM", "2/3")
    # The working days a proposal's list is posted publicly for objections before it goes up.
    PUBLIC_POSTING_DAYS = int(os.environ.get("PUBLIC_POSTING_DAYS", "5"))
    # Objections from one address to the posted lists (the public form has no account).
    OBJECTION_LIMIT_PER_ADDRESS = _limit("OBJECTION_LIMIT_PER_ADDRESS", "5 per hour;20 per day")
    # A revoked award leaves the public honour roll ("hide") or stays on it marked ("mark").
    HONOUR_ROLL_REVOKED = os.environ.get("HONOUR_ROLL_REVOKED", "hide")
    PER_PAGE = int(os.environ.get("PER_PAGE", "25"))
    # Rendered bodies of the most read pages until data changes (tracker.pagecache): on Redis
    # when REDIS_URL is set (shared by every worker and server), else in each process's memory
    # (at most PAGE_CACHE_ITEMS bodies). A body larger than PAGE_CACHE_MB is not kept; 0 turns
    # the cache off. A kept body is dropped after PAGE_CACHE_SECONDS whatever happens.
    PAGE_CACHE_MB = float(os.environ.get("PAGE_CACHE_MB", "32"))
    PAGE_CACHE_ITEMS = int(os.environ.get("PAGE_CACHE_ITEMS", "500"))
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
    PAGE_CACHE_PREFIX = os.environ.get("PAGE_CACHE_PREFIX", "tracker-page:")
    # A kept page whose data changed may still be served for this many seconds (it says when its
    # figures were read), except to the user who made the change; 0: never.
    PAGE_STALE_SECONDS = float(os.environ.get("PAGE_STALE_SECONDS", "5"))
    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "ThiDua@2020")
    # The public pages (sign-in, honour roll) say that the data is illustrative (`make run` sets it).
    DEMO_NOTICE = _env_bool("DEMO_NOTICE", False)
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
    PAGE_STALE_SECONDS = 0  # the tests that allow older pages say so
    SESSION_RECHECK_SECONDS = 0  # likewise for the session read a moment before
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    TRACKER_TODAY = ""
    # Fast hashing keeps the suite quick; production keeps Werkzeug's scrypt default.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    UPLOAD_FOLDER = os.environ.get(
        "TEST_UPLOAD_FOLDER", os.path.join(tempfile.gettempdir(), "tracker-test-uploads")
    )
    MAIL_SERVER = ""
    # Jobs run at once in the request unless a test starts a worker; files in a local folder.
    CELERY_BROKER_URL = ""
    JOBS_IN_PROCESS = "eager"
    STORAGE_URL = ""
    MAIL_OUTBOX = ""  # each test that sends mail points this at its own tmp_path


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def check(cls) -> None:
        if not secret_key():
            raise RuntimeError("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
