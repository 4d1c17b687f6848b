"""The tracker's own error pages (400 to 503), in the user's language, and the answer when the
database cannot answer."""
from flask import current_app, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from sqlalchemy.exc import InterfaceError, OperationalError, TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError

# The database cannot answer: down, unreachable, out of connections, or the connection broke.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, PoolTimeout)


def _as_visitor() -> None:
    """Render the rest of this request for the anonymous visitor: the page frame then needs no
    database (the signed-in user, their unit and unread notices are read from it)."""
    current_app.login_manager._update_request_context_with_user(None)


def _page(status: int, template: str, error=None, **context):
    """The tracker's own error page. Its frame shows the signed-in user from the database; when
    that fails too (the database is what broke), the page is shown as to a visitor. A request of
    the JSON API gets problem details instead (tracker.api.core)."""
    from tracker.api.core import is_api_request, problem_response

    if is_api_request():
        return problem_response(error, status)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(status=status), status
    try:
        return render_template(template, **context), status
    except Exception:  # an error page must not fail in its turn
        _forget_failed_transaction()
        _as_visitor()
        return render_template(template, **context), status


def _forget_failed_transaction() -> None:
    from tracker.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection may be gone; the session is reset anyway
        current_app.logger.warning("rollback after a database failure failed", exc_info=True)


def database_unavailable(error):
    """503 with the tracker's page: nothing of the request was committed (a failure at commit
    rolls back), and trying again later is the only advice to give."""
    current_app.logger.error("database unavailable: %s", error.__class__.__name__, exc_info=error)
    _forget_failed_transaction()
    _as_visitor()
    response = current_app.make_response(_page(503, "errors/503.html"))
    response.headers["Retry-After"] = "30"
    return response


def _too_many(error):
    """429 with Retry-After, on the tracker's own page saying how long to wait."""
    retry_after = getattr(error, "retry_after", None)
    seconds = int(retry_after) if isinstance(retry_after, (int, float)) else 60
    response = make_response(_page(429, "errors/429.html", error, minutes=max(1, -(-seconds // 60))))
    response.headers["Retry-After"] = str(seconds)
    return response


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(400, "errors/400.html", error, reason=error.description)

    for exception in DATABASE_UNAVAILABLE:
        app.register_error_handler(exception, database_unavailable)

    @app.errorhandler(StaleDataError)
    def lost_race(error):
        # A write that lost a race outside the services' own ConflictError (another request
        # changed the versioned row between this one's read and its write): nothing was written.
        from tracker.extensions import db

        db.session.rollback()
        return _page(409, "errors/409.html", error)

    app.register_error_handler(400, lambda e: _page(400, "errors/400.html", e))
    app.register_error_handler(403, lambda e: _page(403, "errors/403.html", e))
    app.register_error_handler(404, lambda e: _page(404, "errors/404.html", e))
    app.register_error_handler(405, lambda e: _page(405, "errors/404.html", e))
    app.register_error_handler(413, lambda e: _page(413, "errors/413.html", e))
    app.register_error_handler(429, _too_many)
    app.register_error_handler(500, lambda e: _page(500, "errors/500.html", e))

    @app.errorhandler(HTTPException)
    def other_http_error(error):
        """Any other HTTP error (401, 409, 412, 415, 422, 428 of the JSON API): problem details
        there, Werkzeug's own short page elsewhere."""
        from tracker.api.core import is_api_request, problem_response

        if is_api_request():
            return problem_response(error)
        return error
