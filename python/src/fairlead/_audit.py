"""`fairlead.audit`: a profile's audit, or a quick one from keywords, of a DataFrame or a file."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import shutil
import tempfile
from typing import IO, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from . import _binary
from ._report import AuditReport

PathLike = Union[str, "os.PathLike[str]"]
Names = Union[str, Sequence[str]]


def audit(
    data: Union[pd.DataFrame, PathLike, None],
    profile: Optional[PathLike] = None,
    *,
    score: Optional[str] = None,
    label: Optional[str] = None,
    sensitive: Optional[Names] = None,
    threshold: Union[float, Sequence[float], None] = None,
    top_k: Union[int, str, Sequence[Union[int, str]], None] = None,
    rules: Optional[Names] = None,
    reference: Optional[Mapping[str, str]] = None,
    score_range: Optional[Tuple[float, float]] = None,
    bootstrap: Optional[int] = None,
    history: Optional[PathLike] = None,
    as_of: Union[str, datetime.date, None] = None,
    rerun: bool = False,
) -> AuditReport:
    """Audits ``data`` with ``profile`` (a YAML or JSON audit profile, docs/profiles.md), or
    without one from the keywords, and returns the report (`fairlead audit --format json`).

    ``data`` is a pandas DataFrame, a path to a CSV (or ``.csv.gz``) file, or ``None`` for
    the profile's ``data.path``. A DataFrame's rows go to the CLI through a pipe
    (``--data -``), and only the columns the audit reads: with a profile, those that
    ``fairlead validate --format json`` names for the frame's columns (score, label,
    sensitive attributes, the id, the model's features, …); without one, ``score``,
    ``label`` and ``sensitive``.

    The keywords map onto `fairlead audit`'s flags and override the profile's keys:
    ``score``, ``label``, ``sensitive`` (``"a,b"`` or a list), ``threshold`` (one or a
    list), ``top_k`` (a count ``500``, a share ``"10%"``, or a list), ``rules`` (one
    ``"disparate_impact >= 0.8"`` or a list, added to the profile's), ``reference``
    (``{"ethnicity": "white"}``), ``score_range`` (``(0, 100)``), ``bootstrap`` (the
    intervals' replicates; ``0`` turns them off); ``history``, ``as_of`` and ``rerun``
    append the report to an audit history (docs/history.md).

    A failed rule is a report (status ``FAIL``, ``exit_code`` 1), not an error; bad input
    raises :class:`FairleadError` with the CLI's message and exit code 2.
    """
    arguments = ["audit", "--format", "json"]
    if profile is not None:
        arguments.append(_binary.flag("--profile", _binary.path(profile)))
    sensitive_columns = _names(sensitive)
    if score is not None:
        arguments.append(_binary.flag("--score", score))
    if label is not None:
        arguments.append(_binary.flag("--label", label))
    if sensitive is not None:
        arguments.append(_binary.flag("--sensitive", _joined(sensitive_columns, "sensitive")))
    for value in _listed(threshold):
        arguments.append(_binary.flag("--threshold", repr(float(value))))
    for value in _listed(top_k):
        arguments.append(_binary.flag("--top-k", value))
    for rule in _names(rules, split=False):
        arguments.append(_binary.flag("--rule", rule))
    for attribute, group in (reference or {}).items():
        arguments.append(_binary.flag("--reference", f"{attribute}={group}"))
    if score_range is not None:
        low, high = score_range
        arguments.append(_binary.flag("--score-range", f"{float(low)!r},{float(high)!r}"))
    if bootstrap is not None:
        arguments.append(_binary.flag("--bootstrap", int(bootstrap)))
    if history is not None:
        arguments.append(_binary.flag("--history", _binary.path(history)))
    if as_of is not None:
        arguments.append(_binary.flag("--as-of", as_of.isoformat() if isinstance(as_of, datetime.date) else str(as_of)))
    if rerun:
        arguments.append("--rerun")

    if not isinstance(data, pd.DataFrame):
        if data is not None:
            arguments.append(_binary.flag("--data", _binary.path(data)))
        completed = _binary.run(arguments, answers=(0, 1))
        return AuditReport(completed.stdout.decode("utf-8"), exit_code=completed.exit_code)

    keyword_columns = [name for name in [score, label, *sensitive_columns] if name is not None]
    frame = _with_named_index(data, keyword_columns)
    folder = tempfile.mkdtemp(prefix="fairlead-")
    try:
        if profile is None:
            wanted = keyword_columns
        else:
            wanted = needed_columns(frame, profile, folder=folder) + keyword_columns
        available = [str(column) for column in frame.columns]
        if all(name in available for name in wanted):
            sent = [column for column in available if column in set(wanted)]
            # By position: a name the frame holds twice goes over twice (the CLI names the
            # duplicate), not four times as a list of labels would select it.
            rows = frame.loc[:, [str(column) in set(wanted) for column in frame.columns]]
        else:
            # A column the audit needs is missing: the header alone goes over, so that the
            # CLI's message names the closest of all the frame's columns.
            sent = available
            rows = frame.iloc[0:0]
        arguments += ["--data", "-"]
        completed = _binary.run(arguments, feed=lambda stream: write_csv(rows, stream), answers=(0, 1))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return AuditReport(completed.stdout.decode("utf-8"), exit_code=completed.exit_code, columns_sent=sent)


def needed_columns(frame: pd.DataFrame, profile: PathLike, *, folder: Optional[str] = None) -> List[str]:
    """The columns of ``frame`` an audit with ``profile`` needs, as the CLI says
    (``fairlead validate PROFILE --data HEADER --format json`` on a file holding only the
    frame's header): those it reads, and the id column it checks."""
    own = folder is None
    folder = folder or tempfile.mkdtemp(prefix="fairlead-")
    try:
        header = os.path.join(folder, "dataframe-columns.csv")
        with open(header, "w", encoding="utf-8", newline="") as file:
            # CRLF, so that the writer quotes a name holding a carriage return (_line_end).
            csv.writer(file, lineterminator="\r\n").writerow([str(column) for column in frame.columns])
        completed = _binary.run(["validate", _binary.flag("--data", header), "--format", "json", "--",
                                 _binary.path(profile)])
        answer: Dict[str, Any] = json.loads(completed.stdout)
        return [str(name) for name in answer["columns"]]
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)


def write_csv(frame: pd.DataFrame, stream: IO[bytes]) -> None:
    """Writes ``frame`` as CSV, UTF-8, without its index: missing values as empty fields
    (missing to the CLI, whatever the profile's markers add), booleans as 0/1."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
    try:
        _as_written(frame).to_csv(text, index=False, lineterminator=_line_end(frame))
        text.flush()
    finally:
        text.detach()


def _line_end(frame: pd.DataFrame) -> str:
    """``"\\n"``, or ``"\\r\\n"`` when a name or a text value of ``frame`` holds a carriage
    return. Python's CSV writer quotes a field only for the characters of its line end, so
    with ``"\\n"`` it writes ``a\\r`` bare: at the end of a row the CLI reads ``a\\r\\n`` as
    ``a`` and a CRLF line end, folding the group ``a\\r`` into ``a``, and a carriage return
    in the header is refused. With ``"\\r\\n"`` every such field is quoted and read back
    exactly; other frames keep ``"\\n"`` (the same bytes, the same ``data.sha256``)."""
    if any("\r" in str(name) for name in frame.columns):
        return "\r\n"
    for _, column in frame.items():
        dtype = column.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            values = pd.Series(dtype.categories.astype(str))
        elif pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype):
            values = column.dropna().astype(str)
        else:
            continue
        if values.str.contains("\r", regex=False).any():
            return "\r\n"
    return "\n"


def _as_written(frame: pd.DataFrame) -> pd.DataFrame:
    # By position: `frame[name]` of a name the frame holds twice is a DataFrame, not a column.
    booleans = [index for index, (_, column) in enumerate(frame.items()) if pd.api.types.is_bool_dtype(column.dtype)]
    if not booleans:
        return frame
    converted = frame.copy()
    for index in booleans:
        converted.isetitem(index, converted.iloc[:, index].astype("Int8"))
    return converted


def _with_named_index(frame: pd.DataFrame, keyword_columns: List[str]) -> pd.DataFrame:
    """The frame with its named index levels as columns (``lead_id`` as the index is still
    the id column), unless a column has that name already."""
    if isinstance(frame.columns, pd.MultiIndex):
        raise ValueError("the DataFrame has MultiIndex columns; flatten them to one name per column first")
    names = [name for name in frame.index.names if name is not None and name not in frame.columns]
    return frame.reset_index(level=names) if names else frame


def _joined(names: List[str], keyword: str) -> str:
    """``names`` as one comma-separated flag value; the CLI splits it at commas, so a name
    holding one would silently name other columns: refused."""
    for name in names:
        if "," in name:
            raise ValueError(f"{keyword}: {name!r} holds a comma, which the command line reads as a separator "
                             f"between two names; rename the column (or name it in a profile)")
    return ",".join(names)


def _names(value: Optional[Names], *, split: bool = True) -> List[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")] if split else [value]
    return [str(part) for part in value]


def _listed(value: Any) -> List[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        return [value]
    return list(value)
