"""Fairlead from Python: fairness audits and explanations of lead-scoring models, over the
`fairlead` binary this package carries (docs/python.md).

    import fairlead, pandas as pd
    leads = pd.read_csv("fixtures/leads/leads-sample.csv")
    report = fairlead.audit(leads, "fixtures/profiles/leads-predeployment.yaml")
    report.status, report.by_group("threshold_0.3", "ethnicity")
"""

from ._audit import audit, needed_columns
from ._binary import BINARY_VARIABLE, FairleadWarning, binary_path
from ._errors import FairleadError
from ._explain import attributions, explain
from ._history import history_entry, history_trends
from ._report import AuditReport
from ._version import __version__

__all__ = [
    "AuditReport",
    "BINARY_VARIABLE",
    "FairleadError",
    "FairleadWarning",
    "__version__",
    "attributions",
    "audit",
    "binary_path",
    "explain",
    "history_entry",
    "history_trends",
    "needed_columns",
]
