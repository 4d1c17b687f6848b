"""Imports every model module so the metadata (and Alembic) see all tables."""
from tracker.attachments.models import Attachment  # noqa: F401
from tracker.audit.models import AuditEvent  # noqa: F401
from tracker.awards.models import (  # noqa: F401
    AwardRecord,
    AwardType,
    CandidateYear,
    Decision,
    Proposal,
    ProposalItem,
)
from tracker.nominations.models import Candidate, Nomination  # noqa: F401
from tracker.plans.models import Milestone, Movement, Plan  # noqa: F401
from tracker.notifications.models import Notification, ReminderLog  # noqa: F401
from tracker.pagecache.models import DataVersion  # noqa: F401
from tracker.reports.models import ProgressReport, ReportHonour, ReportVersion  # noqa: F401
from tracker.stats.models import StatCounter  # noqa: F401
from tracker.units.models import Unit  # noqa: F401
from tracker.users.models import User  # noqa: F401
