"""The job worker and scheduler's entry point (tracker.tasks):

    celery -A worker worker --loglevel=INFO     # runs jobs
    celery -A worker beat --loglevel=INFO       # the morning reminders, stale jobs back to the queue
"""
from tracker import create_app

flask_app = create_app()
celery_app = flask_app.extensions["celery"]
