"""Imports every model module so the metadata (and Alembic) see all tables."""
from tracker.attachments import models as _attachments  # noqa: F401
from tracker.audit import models as _audit  # noqa: F401
from tracker.awards import models as _awards  # noqa: F401
from tracker.candidates import models as _candidates  # noqa: F401
from tracker.catalogue import models as _catalogue  # noqa: F401
from tracker.councils import models as _councils  # noqa: F401
from tracker.jobs import models as _jobs  # noqa: F401
from tracker.nominations import models as _nominations  # noqa: F401
from tracker.notifications import models as _notifications  # noqa: F401
from tracker.pagecache import models as _pagecache  # noqa: F401
from tracker.plans import models as _plans  # noqa: F401
from tracker.reports import models as _reports  # noqa: F401
from tracker.stats import models as _stats  # noqa: F401
from tracker.tokens import models as _tokens  # noqa: F401
from tracker.units import models as _units  # noqa: F401
from tracker.users import models as _users  # noqa: F401
from tracker.workdays import models as _workdays  # noqa: F401
