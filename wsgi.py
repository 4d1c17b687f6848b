"""WSGI entry point: gunicorn "wsgi:app"."""
from tracker import create_app

app = create_app()
