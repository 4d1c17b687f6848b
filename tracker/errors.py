"""Domain exceptions and the HTTP error pages."""
from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError


class DomainError(Exception):
    """A rule of the domain refuses the action; the message is shown to the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class WorkflowError(DomainError):
    """A state transition that is not allowed from the record's current state."""


class InvalidData(DomainError):
    """Several fields break the domain's rules at once: {field name: [messages]}."""

    def __init__(self, errors: dict[str, list]):
        field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field)
        self.errors = errors


class ConflictError(DomainError):
    """Someone else changed the record since the user loaded it (an optimistic-lock refusal)."""


def _page(status: int, template: str):
    if request.accept_mimetypes.best == "application/json":
        return jsonify(status=status), status
    return render_template(template), status


def register_error_handlers(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/400.html", reason=error.description), 400

    @app.errorhandler(StaleDataError)
    def lost_race(error):
        # A write that lost a race outside the services' own ConflictError (another request
        # changed the versioned row between this one's read and its write): nothing was written.
        from tracker.extensions import db

        db.session.rollback()
        return _page(409, "errors/409.html")

    app.register_error_handler(400, lambda e: _page(400, "errors/400.html"))
    app.register_error_handler(403, lambda e: _page(403, "errors/403.html"))
    app.register_error_handler(404, lambda e: _page(404, "errors/404.html"))
    app.register_error_handler(405, lambda e: _page(405, "errors/404.html"))
    app.register_error_handler(413, lambda e: _page(413, "errors/413.html"))
    app.register_error_handler(500, lambda e: _page(500, "errors/500.html"))
