"""WSGI entry point: gunicorn "wsgi:app"."""
import gc

from tracker import create_app

app = create_app()

# The app's own objects (code, routes, SQLAlchemy and Babel caches) live as long as the worker:
# keep the cyclic garbage collector from rescanning them on every full collection, which
# otherwise shows as 50-100 ms pauses in the slowest 5 % of requests.
gc.freeze()
