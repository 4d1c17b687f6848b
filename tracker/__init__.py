"""The application factory: configuration, extensions, blueprints, CLI. Wiring only."""
import os
import secrets

from flask import Flask, abort, current_app, request, session
from flask_login import current_user

from config import CONFIGS, ephemeral_secret_key, secret_key
from tracker.inputs import MAX_ID, MAX_PAGE, arg_page
from tracker.rules.ballot import parse_quorum


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        template_folder="../templates",
        instance_path=os.path.join(os.path.dirname(os.path.dirname(__file__)), "instance"),
    )
    config_name = config_name or os.environ.get("TRACKER_CONFIG", "development")
    config_cls = CONFIGS[config_name]
    if hasattr(config_cls, "check"):
        config_cls.check()
    app.config.from_object(config_cls)
    app.config.update(overrides)
    parse_quorum(app.config["COUNCIL_QUORUM"])  # a wrong share ("3/2") stops the start, not a meeting
    if int(app.config["PUBLIC_POSTING_DAYS"]) < 1 or app.config["HONOUR_ROLL_REVOKED"] not in ("hide", "mark"):
        raise ValueError("PUBLIC_POSTING_DAYS must be 1 or more; HONOUR_ROLL_REVOKED hide or mark")
    register_secret_key(app)
    register_proxies(app)
    register_converters(app)
    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    register_security_headers(app)
    register_errors(app)
    register_cli(app)
    return app


def register_secret_key(app: Flask) -> None:
    """The key that signs sessions comes from the environment; without one, a random key for
    this process (tests quietly, any other start with a loud warning)."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key() or (
            secrets.token_hex(32) if app.config.get("TESTING") else ephemeral_secret_key())


def register_proxies(app: Flask) -> None:
    """Trust X-Forwarded-For/-Proto/-Host only from the configured number of reverse proxies."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def select_locale() -> str:
    from flask import current_app, has_request_context

    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    if request.path.startswith("/api/v1/"):  # another system says which language it reads
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def register_converters(app: Flask) -> None:
    """`<int:...>` accepts only ids a database column can hold: a larger one is a plain 404."""
    from werkzeug.routing import IntegerConverter

    class IdConverter(IntegerConverter):
        def __init__(self, url_map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(url_map, *args, **kwargs)

    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def _page_in_range():
        """?page= beyond any list (its offset would overflow the database's integers) is a 404."""
        page = arg_page()
        if page is not None and page > MAX_PAGE:
            abort(404)


def register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (registers every table on the metadata)
    from tracker.extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    from tracker import connections

    with app.app_context():
        # how PostgreSQL plans each statement, and when a pooled connection is tested
        connections.init_app(app, db.engines.values())
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "warning"
    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please sign in to open this page.")

    from tracker import throttle
    from tracker.users import sessions

    throttle.init_app(app)
    from tracker import pagecache

    pagecache.init_app(app)  # the rendered-page store every worker shares (Redis when REDIS_URL)
    from tracker import tasks

    tasks.init_app(app)  # the job queue: Celery on the broker, or jobs in this process

    from tracker.pagecache import versions

    tree_version = versions.column(versions.TREE)

    from tracker.commit import SAFE_METHODS

    @login_manager.user_loader
    def load_user(user_id: str):
        """The user of this browser's server-side session, if it is still open (see users.sessions),
        read with the tree's version: the gate of a kept page needs it next (pagecache.tree), and
        in the same statement a kept page costs one read. A request that changes nothing may take
        what this worker read of the session up to SESSION_RECHECK_SECONDS before, if not before
        this browser's own last change (then a kept page costs no statement at all)."""
        reuse = current_app.config.get("SESSION_RECHECK_SECONDS", 0) if request.method in SAFE_METHODS else 0
        signed_in = sessions.user_of(session.get(sessions.SESSION_KEY), user_id,
                                     sessions.Lifetimes.from_config(current_app.config), also=(tree_version,),
                                     reuse_within=reuse, wrote_at=session.get(versions.WROTE_AT, 0))
        if signed_in is None:
            session.pop(sessions.SESSION_KEY, None)
            return None
        versions.read_with(versions.TREE, signed_in.also[0])
        return signed_in.user

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _sqlite_foreign_keys):
        event.listen(Engine, "connect", _sqlite_foreign_keys)
    from tracker.commit import reads_without_a_transaction

    if not event.contains(Engine, "engine_connect", reads_without_a_transaction):
        event.listen(Engine, "engine_connect", reads_without_a_transaction)  # see tracker.commit


def _sqlite_foreign_keys(dbapi_connection, _record) -> None:
    """SQLite enforces foreign keys only when asked, per connection."""
    if dbapi_connection.__class__.__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def register_blueprints(app: Flask) -> None:
    from tracker.attachments.views import bp as attachments_bp
    from tracker.audit.views import bp as audit_bp
    from tracker.awards.public.views import bp as posting_bp
    from tracker.awards.views import bp as awards_bp
    from tracker.honours.views import bp as honours_bp
    from tracker.jobs.views import bp as jobs_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.candidates.views import bp as candidates_bp
    from tracker.catalogue.views import bp as catalogue_bp
    from tracker.dashboard.views import bp as dashboard_bp
    from tracker.deadlines.feed import bp as calendar_bp
    from tracker.deadlines.views import bp as deadlines_bp
    from tracker.nominations.views import bp as nominations_bp
    from tracker.notifications.views import bp as notifications_bp
    from tracker.plans.views import bp as plans_bp
    from tracker.reports.views import bp as reports_bp
    from tracker.units.views import bp as units_bp
    from tracker.users.views import bp as users_bp
    from tracker.workdays.views import bp as workdays_bp
    from tracker.councils.views import bp as councils_bp
    from tracker.revocations.views import bp as revocations_bp

    for bp in (auth_bp, dashboard_bp, plans_bp, deadlines_bp, calendar_bp, notifications_bp,
               units_bp, users_bp, audit_bp, reports_bp, awards_bp, honours_bp,
               nominations_bp, candidates_bp, catalogue_bp, attachments_bp, jobs_bp, workdays_bp, councils_bp,
               revocations_bp, posting_bp):
        app.register_blueprint(bp)
    from tracker import api

    api.init_app(app)  # /api/v1 with its OpenAPI document and its docs page


def template_labels() -> dict:
    """Each area's labels of its enums, under the names templates use: `labels.role[user.role]`,
    `labels[kind][status]` (the status badge macro). Only the factory gathers them."""
    from tracker.awards.labels import PROPOSAL_STATUS_LABELS, REVOCATION_STATUS_LABELS
    from tracker.candidates.labels import CANDIDATE_KIND_LABELS, GENDER_LABELS
    from tracker.catalogue.labels import RECIPIENT_LABELS
    from tracker.nominations.labels import NOMINATION_STATUS_LABELS
    from tracker.plans.labels import MILESTONE_KIND_LABELS, MILESTONE_SCOPE_LABELS, OBLIGATION_LABELS, PLAN_STATUS_LABELS
    from tracker.reports.labels import REPORT_STATUS_LABELS
    from tracker.units.labels import UNIT_KIND_LABELS
    from tracker.users.labels import ROLE_LABELS

    return {
        "role": ROLE_LABELS,
        "unit_kind": UNIT_KIND_LABELS,
        "plan_status": PLAN_STATUS_LABELS,
        "milestone_scope": MILESTONE_SCOPE_LABELS,
        "milestone_kind": MILESTONE_KIND_LABELS,
        "report_status": REPORT_STATUS_LABELS,
        "nomination_status": NOMINATION_STATUS_LABELS,
        "proposal_status": PROPOSAL_STATUS_LABELS,
        "revocation_status": REVOCATION_STATUS_LABELS,
        "candidate_kind": CANDIDATE_KIND_LABELS,
        "gender": GENDER_LABELS,
        "recipient": RECIPIENT_LABELS,
        "obligation": OBLIGATION_LABELS,
    }


def register_template_helpers(app: Flask) -> None:
    from tracker import formatting, permissions
    from tracker.inputs import url_with_args
    from tracker.units.labels import unit_kind_label

    labels = template_labels()
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(formatting.FILTERS)
    app.jinja_env.filters["unit_kind_label"] = unit_kind_label
    app.jinja_env.globals["url_with_args"] = url_with_args

    @app.context_processor
    def inject_helpers():
        from flask_login import current_user as user

        from tracker.notifications.services import unread_count

        return {
            **permissions.TEMPLATE_PREDICATES,
            "unread_notifications": (lambda: unread_count(user)) if user.is_authenticated else (lambda: 0),
            "current_locale": select_locale(),
            "labels": labels,
        }


def register_security_headers(app: Flask) -> None:
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    )

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint and request.endpoint != "static" and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response


def register_errors(app: Flask) -> None:
    from tracker.error_pages import register_error_handlers

    register_error_handlers(app)


def register_cli(app: Flask) -> None:
    from tracker.cli import register_commands

    register_commands(app)
