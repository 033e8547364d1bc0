"""`fairlead.explain` and `fairlead.attributions`: reasons for reps and SHAP values as DataFrames."""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from typing import Any, Dict, List, Optional, Union

import pandas as pd

from . import _binary
from ._audit import Names, PathLike, _joined, _names, _with_named_index, write_csv
from ._models import ModelLike, model_file

Rows = Union[pd.DataFrame, PathLike]


def explain(
    model: Optional[ModelLike],
    X: Optional[Rows],
    *,
    sensitive: Optional[Names] = None,
    profile: Optional[PathLike] = None,
    top: Optional[int] = None,
    ids: Optional[Names] = None,
    explainer: Optional[str] = None,
    background: Optional[Rows] = None,
    baseline_levels: Optional[Dict[str, str]] = None,
    score: Optional[str] = None,
) -> pd.DataFrame:
    """Each lead's top reasons, raising and lowering its score, in plain words: one row
    per lead, with ``id``, ``score`` and ``margin``, then for each reason ``raising_N`` /
    ``lowering_N`` (the words) and its ``_feature``, ``_value``, ``_typical``,
    ``_contribution`` (log-odds) and ``_points`` (probability points); a lead with fewer
    reasons has NaN there, as has a missing value. The columns of `fairlead explain --format csv`, with the values
    of `--format json`: ids, values and reasons exactly as in the data and the
    templates (the CSV escapes them for spreadsheets), a value a number or a string as
    the row held it.

    Without ``profile``: ``model`` (a model file, ONNX bytes or ``ModelProto``, or a fitted
    scikit-learn estimator) and ``X`` (a DataFrame or CSV path of leads, with the
    model's feature columns), and ``sensitive`` columns that are never reasons. With
    ``profile``: its model, sensitive columns, templates and proxies; ``model`` is
    ``None`` and ``X`` overrides the profile's data (``None`` keeps it). ``top`` reasons
    per direction; ``ids`` explains only those leads, in that order. Without a profile,
    ``explainer`` (``tree``, ``tree-interventional``, ``linear``, ``kernel``) and
    ``background`` rows (a DataFrame or CSV path; ONNX tree ensembles need them) choose
    the attributions the reasons come from. ``baseline_levels`` (without a profile; a
    profile has ``model.baseline_levels``) names, per one-hot column, the level a
    ``drop_first`` encoding left out (``{"lead_source": "cold_outbound"}``): it is then a
    level the model knows, and a reason again, not a value it never saw. ``score`` names
    the column of ``X`` holding the scores the leads were given (with a profile, its
    ``data.score`` by default): where the model's score differs from it by more than
    0.001, a :class:`FairleadWarning` names the lead that differs most — the reasons
    explain the model's score, so the model should be the one that scored the leads.
    """
    folder = tempfile.mkdtemp(prefix="fairlead-")
    try:
        arguments = ["explain", "--format", "json"]
        if score is not None:
            arguments.append(_binary.flag("--score", score))
        if profile is not None:
            if (model is not None or sensitive is not None or explainer is not None or background is not None
                    or baseline_levels is not None):
                raise ValueError("with a profile, the profile names the model, the sensitive columns, the explainer and the "
                                 "baseline levels; pass model=None and no sensitive, explainer, background or baseline_levels")
            arguments.append(_binary.flag("--profile", _binary.path(profile)))
        else:
            if model is None or X is None:
                raise ValueError("without a profile, give the model and the rows X")
            arguments.append(_binary.flag("--model", model_file(model, X, folder)))
            if sensitive is not None:
                arguments.append(_binary.flag("--sensitive", _joined(_names(sensitive), "sensitive")))
            if explainer is not None:
                arguments.append(_binary.flag("--explainer", explainer))
            if background is not None:
                arguments.append(_binary.flag("--background", _rows_file(background, folder, "background.csv")))
            arguments += _baseline_level_flags(baseline_levels)
        if X is not None:
            arguments.append(_binary.flag("--data", _rows_file(X, folder, "leads.csv")))
        if top is not None:
            arguments.append(_binary.flag("--top", int(top)))
        if ids is not None:
            arguments.append(_binary.flag("--ids", _joined(_names(ids), "ids")))
        completed = _binary.run(arguments)
        return _explanations_frame(json.loads(completed.stdout))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def attributions(
    model: ModelLike,
    X: Rows,
    *,
    method: Optional[str] = None,
    background: Optional[Rows] = None,
    group_features: bool = False,
    id_column: Optional[str] = None,
    baseline_levels: Optional[Dict[str, str]] = None,
) -> pd.DataFrame:
    """Per-row SHAP values of the model's margin: one row per row of ``X``, the ``id``,
    ``base_value``, a column per feature and the ``margin`` (= base value + the
    attributions, for the exact methods). The columns of `fairlead attributions --format
    csv`, with the values of `--format json`: ids exactly as in the data (the CSV escapes
    them for spreadsheets), so the frame joins back to ``X`` on them.

    ``method``: ``tree`` (path-dependent TreeSHAP, XGBoost and LightGBM's default),
    ``tree-interventional``, ``linear`` or ``kernel`` (these three against
    ``background`` rows; ``linear`` takes ``X`` itself when none is given). ONNX tree
    ensembles store no covers: give ``background`` for them. ``group_features`` sums
    one-hot features per source column. ``baseline_levels`` names the level a
    ``drop_first`` encoding left out, per one-hot column (as for :func:`explain`).
    """
    folder = tempfile.mkdtemp(prefix="fairlead-")
    try:
        out = os.path.join(folder, "attributions.json")
        arguments = ["attributions", _binary.flag("--model", model_file(model, X, folder)),
                     _binary.flag("--data", _rows_file(X, folder, "rows.csv")), "--format", "json", _binary.flag("--out", out)]
        if method is not None:
            arguments.append(_binary.flag("--method", method))
        if background is not None:
            arguments.append(_binary.flag("--background", _rows_file(background, folder, "background.csv")))
        if group_features:
            arguments.append("--group-features")
        if id_column is not None:
            arguments.append(_binary.flag("--id-column", id_column))
        arguments += _baseline_level_flags(baseline_levels)
        _binary.run(arguments)
        with open(out, "rb") as file:
            return _attributions_frame(json.load(file))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rows_file(rows: Rows, folder: str, name: str) -> str:
    if not isinstance(rows, pd.DataFrame):
        return _binary.path(rows)
    path = os.path.join(folder, name)
    with open(path, "wb") as file:
        write_csv(_with_named_index(rows, []), file)
    return path


def _attributions_frame(table: Dict[str, Any]) -> pd.DataFrame:
    """`fairlead attributions --format json` as the CSV's columns: id, base_value, the
    features, margin (columns by position: two features may share a name)."""
    features: List[str] = table["features"]
    rows = table["rows"]
    base = float(table["base_value"])
    columns: List[pd.Series] = [pd.Series([row["id"] for row in rows], dtype=str),
                                pd.Series([base] * len(rows), dtype="float64")]
    for position in range(len(features)):
        columns.append(pd.Series([float(row["values"][position]) for row in rows], dtype="float64"))
    columns.append(pd.Series([float(row["margin"]) for row in rows], dtype="float64"))
    frame = pd.concat(columns, axis=1, ignore_index=True)
    frame.columns = ["id", "base_value", *features, "margin"]
    return frame


def _explanations_frame(document: Dict[str, Any]) -> pd.DataFrame:
    """`fairlead explain --format json` as the CSV's columns (see ``explain``): a missing
    reason or value is NaN."""
    top = int(document["top"])
    leads = document["leads"]
    names = ["id", "score", "margin"]
    cells: List[List[Any]] = [[lead["id"] for lead in leads], [_number(lead["score"]) for lead in leads],
                              [_number(lead["margin"]) for lead in leads]]
    fields = [("", "reason"), ("_feature", "feature"), ("_value", "value"), ("_typical", "typical"),
              ("_contribution", "contribution"), ("_points", "points")]
    for direction in ("raising", "lowering"):
        for k in range(top):
            for suffix, key in fields:
                names.append(f"{direction}_{k + 1}{suffix}")
                cells.append([_cell(lead[direction][k].get(key)) if k < len(lead[direction]) else math.nan
                              for lead in leads])
    frame = pd.concat([pd.Series(cells[0], dtype=str), *(_column(values) for values in cells[1:])], axis=1,
                      ignore_index=True)
    frame.columns = names
    return frame


def _number(value: Any) -> float:
    return math.nan if value is None else float(value)


def _cell(value: Any) -> Any:
    # JSON null (a missing value, points of an identity link) is NaN, as an empty CSV cell is.
    return math.nan if value is None else value


def _column(values: List[Any]) -> pd.Series:
    """A column typed as pandas types the CSV's: numbers (NaN where missing) as numbers,
    text as text, a mix of both as objects."""
    return pd.Series(values)


def _baseline_level_flags(levels: Optional[Dict[str, str]]) -> List[str]:
    """``--baseline-level=COLUMN=LEVEL`` per entry of ``levels``: a mapping of column names
    to levels, both strings (the CLI refuses a column that is not one-hot and a level the
    model has a feature for)."""
    if levels is None:
        return []
    if not isinstance(levels, dict):
        raise TypeError(f"baseline_levels: expected a dict of column names to levels, got {type(levels).__name__}")
    flags = []
    for column, level in levels.items():
        if not isinstance(column, str) or not isinstance(level, str):
            raise TypeError(f"baseline_levels: expected text column names and levels, got {column!r}: {level!r}")
        if "=" in column:
            raise ValueError(f"baseline_levels: a column name holds no '=', got {column!r}")
        flags.append(_binary.flag("--baseline-level", f"{column}={level}"))
    return flags

