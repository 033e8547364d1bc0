"""`fairlead.history_trends`: a metric per group over an audit history's entries."""

from __future__ import annotations

import datetime
import json
from typing import Any, Dict, List, Optional, Union

import pandas as pd

from . import _binary
from ._audit import PathLike
from ._report import AuditReport

_TREND_COLUMNS = ["profile", "decision", "attribute", "entry", "as_of", "status", "drift_status", "completes",
                  "reruns", "column", "value"]


def history_trends(
    history: PathLike,
    metric: str = "selection_rate",
    *,
    profile: Optional[str] = None,
    decision: Optional[str] = None,
    attribute: Optional[str] = None,
    since: Union[str, datetime.date, None] = None,
    all_runs: bool = False,
) -> pd.DataFrame:
    """``metric``'s value per entry and group (`fairlead history show --format json`), one
    row per profile, decision, attribute, entry and column, in as-of order.

    ``column`` is the group (``(overall)`` for all rows), or the attribute for values with
    one per attribute (``demographic_parity_difference``); ``attribute`` is then empty.
    ``status`` and ``drift_status`` are the entry's verdicts (``pass``, ``fail``, …);
    ``completes`` the entry a late-label completion completes, ``reruns`` the entry a
    re-run (``--rerun``) repeats. Of an entry and its re-runs only the latest is returned,
    unless ``all_runs``. ``metric`` is one of the
    report's metric names or ``M.difference_to_reference``, ``M.ratio_to_reference``,
    ``psi``, ``share.change``, ``F.change`` (docs/history.md). Pivot it for a table per
    group: ``trend.pivot_table(index="entry", columns="column", values="value")``.
    """
    arguments = ["history", "show", _binary.flag("--history", _binary.path(history)), _binary.flag("--metric", metric),
                 "--format", "json"]
    for name, value in (("--profile", profile), ("--decision", decision), ("--attribute", attribute)):
        if value is not None:
            arguments.append(_binary.flag(name, value))
    if since is not None:
        arguments.append(_binary.flag("--since", since.isoformat() if isinstance(since, datetime.date) else str(since)))
    if all_runs:
        arguments.append("--all-runs")
    answer: Dict[str, Any] = json.loads(_binary.run(arguments).stdout)
    rows: List[Dict[str, Any]] = []
    for table in answer.get("tables", []):
        for entry in table.get("rows", []):
            for column, value in entry.get("values", {}).items():
                rows.append({
                    "profile": table.get("profile"),
                    "decision": table.get("decision"),
                    "attribute": table.get("attribute") or "",
                    "entry": entry.get("entry"),
                    "as_of": entry.get("as_of"),
                    "status": entry.get("status"),
                    "drift_status": entry.get("drift_status"),
                    "completes": entry.get("completes"),
                    "reruns": entry.get("reruns"),
                    "column": column,
                    "value": value,
                })
    frame = pd.DataFrame(rows, columns=_TREND_COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"])
    return frame


def history_entry(history: PathLike, entry: int) -> AuditReport:
    """The report stored in entry ``entry`` of the history (`fairlead history show --entry N --format json`)."""
    completed = _binary.run(["history", "show", _binary.flag("--history", _binary.path(history)),
                             _binary.flag("--entry", int(entry)), "--format", "json"])
    return AuditReport(completed.stdout.decode("utf-8"))
