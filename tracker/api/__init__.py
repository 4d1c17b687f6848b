"""The JSON API, /api/v1: the tracker's records for a province's other systems, under the same
permissions and services as the pages, described by an OpenAPI 3.1 document generated from the
code (/api/v1/openapi.json) and browsable at /api/v1/docs (rendered by the tracker from that document: tracker.api.reference).

Stability: v1 changes only by adding (operations, optional parameters, fields of an answer);
anything else would be /api/v2.
"""
import http

from flask import Flask, render_template
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from tracker.api import core, reference, schemas

VERSION = "1.0.0"


class TrackerApi(Api):
    """flask-smorest's Api, answering errors the tracker's way: the application's error handlers
    give API requests problem details (tracker.error_pages), so no handler of its own."""

    ERROR_SCHEMA = schemas.ProblemSchema

    def _register_error_handlers(self):
        pass

    def _register_responses(self):
        """Every error answer is documented as problem details (application/problem+json)."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, core.PROBLEM)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, core.PROBLEM)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_app(app: Flask) -> None:
    from tracker.api import records, units, work  # noqa: F401  (their blueprints)
    from tracker.extensions import csrf

    app.config.setdefault("API_TITLE", "Theo dõi Thi đua – Khen thưởng")
    app.config.setdefault("API_VERSION", VERSION)
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": (
            "The Emulation & Commendation Tracker's records for other systems. A personal access token "
            "(made on My account) acts as its user: the same role and unit scope as the pages. Errors are "
            "RFC 9457 problem details with each field's messages in Vietnamese and English. v1 changes "
            "only by adding.")},
        "servers": [{"url": "/"}],
        "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        "security": [{"token": []}],
    })
    app.json.ensure_ascii = False  # answers in UTF-8: "Phường Phú Xuân", not "Ph\u01b0\u1eddng"
    api = TrackerApi(app)
    for bp in core.BLUEPRINTS:
        api.register_blueprint(bp)
        csrf.exempt(bp)  # a token needs none; a browser's session is checked in core.authenticate

    @app.route("/api/v1/docs")
    def api_docs():
        """The reference of every operation and schema, rendered from the OpenAPI document."""
        groups, documented = reference.reference(api.spec.to_dict())
        return render_template("api/docs.html", groups=groups, schemas=documented, version=VERSION)

