"""A worker (`celery -A tests.runtime.slow_worker worker`) whose exports read one nomination per
batch and take a tenth of a second per batch: slow enough to be killed half-way by a test."""
import time

from tracker.jobs import services as jobs
from tracker.nominations import exports
from worker import celery_app, flask_app  # noqa: F401  (the real worker's apps)

exports.EXPORT_BATCH = 1
_report = jobs.Progress.__call__


def _slow_report(self, done, total=None, phase=None):
    time.sleep(0.1)
    self.interval = 0  # every row shows on the job's page
    return _report(self, done, total, phase)


jobs.Progress.__call__ = _slow_report
