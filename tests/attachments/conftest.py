"""The reports' campaign and per-test upload folder serve the attachment tests too."""
from tests.reports.conftest import campaign, uploads  # noqa: F401
