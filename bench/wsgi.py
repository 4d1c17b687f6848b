"""The app as gunicorn serves it in the bench, plus the one-line route every page is compared to."""
import gc

from sqlalchemy import text

from tracker import create_app
from tracker.extensions import db

app = create_app()


@app.route("/bench/ping")
def ping():
    return str(db.session.execute(text("SELECT 1")).scalar())


gc.freeze()  # as wsgi.py does
