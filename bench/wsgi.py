"""The app as gunicorn serves it in the bench, plus the one-line route every page is compared to."""
import gc

from tracker import create_app

app = create_app()


@app.route("/bench/ping")
def ping():
    return "pong"  # one line, no database: what every page is compared to


gc.freeze()  # as wsgi.py does
