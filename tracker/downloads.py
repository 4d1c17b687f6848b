"""A stored file as a download, after the caller's permission check: from the local folder with
Werkzeug's conditional send_file, from object storage streamed through the app in chunks (the
bucket is never exposed to browsers)."""
import unicodedata
from urllib.parse import quote

from flask import Response, abort, current_app, send_file, stream_with_context

from tracker import storage


def stored_file_response(key: str, *, mimetype: str, download_name: str, etag: str | None = None):
    store = storage.current()
    try:
        size = store.size(key)
    except storage.StorageError:
        current_app.logger.exception("file storage unreachable reading %s", key)
        abort(503)
    if size is None:
        current_app.logger.warning("stored file %s is missing", key)
        abort(404)
    if isinstance(store, storage.LocalStorage):
        response = send_file(store.path(key), mimetype=mimetype, as_attachment=True,
                             download_name=download_name, conditional=True, etag=etag or True, max_age=0)
    else:
        response = Response(stream_with_context(store.chunks(key)), mimetype=mimetype, direct_passthrough=True)
        response.content_length = size
        _attachment(response, download_name)
        if etag:
            response.set_etag(etag)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were tricked into rendering it, the file could run nothing.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _attachment(response, name: str) -> None:
    """Content-Disposition as Werkzeug's send_file writes it: an ASCII name and the UTF-8 one."""
    simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    options = {"filename": simple or "file"}
    if simple != name:
        options["filename*"] = f"UTF-8''{quote(name, safe='!#$&+^`|')}"
    response.headers.set("Content-Disposition", "attachment", **options)
