"""The audit report as Python values: the CLI's canonical JSON, with DataFrame views."""

from __future__ import annotations

import html
import json
import math
import os
import shutil
import tempfile
from typing import Any, Dict, List, Optional, Union

import pandas as pd

from . import _binary

# The JSON's `status` values and how the CLI's text shows them.
_STATUS_WORDS = {
    "pass": "PASS",
    "fail": "FAIL",
    "insufficient_evidence": "INSUFFICIENT EVIDENCE",
    "no_rules": "NO RULES",
}

_FINDING_COLUMNS = ["rule", "metric", "decision", "attribute", "group", "value", "interval_lower", "interval_upper",
                    "judged_value", "verdict", "reason", "undecided_cause", "named_groups"]


class AuditReport:
    """One audit's canonical report (docs/report-schema.md), as `fairlead audit --format json`
    wrote it.

    Every view is read from that JSON; nothing is computed again::

        report = fairlead.audit(frame, "fixtures/profiles/leads-predeployment.yaml")
        report.status                                   # 'FAIL'
        report.findings                                 # one row per finding
        report.by_group("threshold_0.3", "ethnicity")   # groups × metrics
        report                                          # in Jupyter: the HTML report
    """

    def __init__(self, json_text: str, *, exit_code: Optional[int] = None, columns_sent: Optional[List[str]] = None) -> None:
        self._json = json_text
        self.raw: Dict[str, Any] = json.loads(json_text)
        #: The CLI's exit code: 0, or 1 when a rule failed or drift was found.
        self.exit_code = exit_code
        #: With a DataFrame: the columns handed to the CLI, in the frame's order.
        self.columns_sent = columns_sent
        self._html: Optional[str] = None

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "AuditReport":
        """A report saved earlier (``fairlead audit --format json --out report.json``)."""
        with open(path, encoding="utf-8") as file:
            return cls(file.read())

    @property
    def status(self) -> str:
        """``PASS``, ``FAIL``, ``INSUFFICIENT EVIDENCE`` or ``NO RULES``, as the CLI prints it."""
        value = str(self.raw.get("status", ""))
        return _STATUS_WORDS.get(value, value.replace("_", " ").upper())

    @property
    def decisions(self) -> List[str]:
        """The decision rules' names (``threshold_0.3``, ``top_10pct``), in the report's order."""
        return list(self.raw.get("decisions", {}))

    def attributes(self, decision: Optional[str] = None) -> List[str]:
        """The attributes (and intersections, ``ethnicity*gender``) of a decision."""
        return list(self._decision(decision).get("attributes", {}))

    @property
    def findings(self) -> pd.DataFrame:
        """One row per finding: the rule as written, metric, decision, attribute, group,
        value, its interval, the value judged when it differs, the verdict, its reason, and
        why an ``insufficient_evidence`` verdict in one word (``undecided_cause``, e.g.
        ``too_few_rows``; None for pass and fail): filter on it, not on the reason's words;
        and the other groups the reason names (``named_groups``, a list, empty when it
        names none), to find the findings that speak of a group without searching the words."""
        rows = []
        for finding in self.raw.get("findings", []):
            interval = finding.get("interval") or [None, None]
            row = {key: finding.get(key) for key in _FINDING_COLUMNS}
            row["interval_lower"], row["interval_upper"] = interval[0], interval[1]
            row["named_groups"] = list(finding.get("named_groups") or [])
            rows.append(row)
        frame = pd.DataFrame(rows, columns=_FINDING_COLUMNS)
        for column in ("value", "interval_lower", "interval_upper", "judged_value"):
            frame[column] = pd.to_numeric(frame[column])
        return frame

    def by_group(self, decision: Optional[str] = None, attribute: Optional[str] = None, *,
                 intervals: bool = False) -> pd.DataFrame:
        """The groups of ``attribute`` under ``decision``: a row per group (the index, named
        after the attribute), ``count``, ``share`` and a column per metric — the shape of
        Fairlearn's ``MetricFrame.by_group``. An undefined metric is NaN. With
        ``intervals``, ``METRIC_lower`` and ``METRIC_upper`` columns follow each metric.

        ``decision`` and ``attribute`` may be left out when the report has only one.
        """
        node = self._attribute(decision, attribute)
        rows = {}
        for group, body in node.get("groups", {}).items():
            rows[group] = self._group_row(body, intervals)
        frame = pd.DataFrame.from_dict(rows, orient="index")
        frame.index.name = self._attribute_name(decision, attribute)
        return frame

    def overall(self, decision: Optional[str] = None, attribute: Optional[str] = None) -> pd.Series:
        """Every metric over all rows of the attribute (Fairlearn's ``MetricFrame.overall``)."""
        node = self._attribute(decision, attribute)
        return pd.Series(self._group_row(node.get("overall", {}), False), name="overall")

    def to_json(self) -> str:
        """The report as the CLI wrote it (``fairlead audit --format json``)."""
        return self._json

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes :meth:`to_json` to ``path``; ``fairlead render`` reads it later."""
        with open(path, "w", encoding="utf-8") as file:
            file.write(self._json)

    def to_html(self) -> str:
        """The HTML report (docs/html-report.md): one self-contained page, rendered from
        this JSON by ``fairlead render --format html``."""
        if self._html is None:
            folder = tempfile.mkdtemp(prefix="fairlead-")
            try:
                path = os.path.join(folder, "report.json")
                self.save(path)
                self._html = _binary.run(["render", "--format", "html", "--", path]).stdout.decode("utf-8")
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        return self._html

    def _repr_html_(self) -> str:
        # The page inside an iframe: its style sheet and Content-Security-Policy stay its
        # own instead of restyling the notebook, and the sandbox runs none of its script
        # (the page reads the same without it).
        page = html.escape(self.to_html(), quote=True)
        return (f'<iframe title="Fairlead audit report: {html.escape(self.status)}" sandbox="" srcdoc="{page}" '
                'style="width: 100%; height: 640px; border: 1px solid #ccc; resize: vertical;"></iframe>')

    def __repr__(self) -> str:
        profile = self.raw.get("profile", {}).get("name", "?")
        return f"<AuditReport {self.status}: profile {profile}, {len(self.raw.get('findings', []))} findings>"

    # -- lookups ---------------------------------------------------------------------

    def _decision(self, decision: Optional[str]) -> Dict[str, Any]:
        decisions: Dict[str, Dict[str, Any]] = self.raw.get("decisions", {})
        if decision is None:
            if len(decisions) != 1:
                raise ValueError(f"the report has {len(decisions)} decisions; name one of: {', '.join(decisions)}")
            decision = next(iter(decisions))
        if decision not in decisions:
            raise KeyError(f"no decision {decision!r} in the report; it has: {', '.join(decisions)}")
        return decisions[decision]

    def _attribute_name(self, decision: Optional[str], attribute: Optional[str]) -> str:
        if attribute is not None:
            return attribute
        names: List[str] = list(self._decision(decision).get("attributes", {}))
        if len(names) != 1:
            raise ValueError(f"the decision has {len(names)} attributes; name one of: {', '.join(names)}")
        return names[0]

    def _attribute(self, decision: Optional[str], attribute: Optional[str]) -> Dict[str, Any]:
        attributes: Dict[str, Dict[str, Any]] = self._decision(decision).get("attributes", {})
        name = self._attribute_name(decision, attribute)
        if name not in attributes:
            raise KeyError(f"no attribute {name!r} under this decision; it has: {', '.join(attributes)}")
        return attributes[name]

    @staticmethod
    def _group_row(body: Dict[str, Any], intervals: bool) -> Dict[str, Any]:
        row: Dict[str, Any] = {"count": body.get("count"), "share": body.get("share")}
        for metric, estimate in body.get("metrics", {}).items():
            value = estimate.get("value")
            row[metric] = math.nan if value is None else value
            if intervals:
                interval = estimate.get("interval") or [math.nan, math.nan]
                row[f"{metric}_lower"], row[f"{metric}_upper"] = interval[0], interval[1]
        return row
