"""explain and attributions equal the CLI's output for the same rows and model."""

from __future__ import annotations

import io
import json
import warnings

import numpy as np
import pandas as pd
import pytest

import fairlead
from conftest import EXPLANATIONS, LEADS, ONNX_MODELS, XGB_MODEL, cli

ROWS = 40


@pytest.fixture
def rows_file(tmp_path):
    """The first ROWS leads, as the file the CLI reads."""
    path = tmp_path / "rows.csv"
    path.write_text("".join(LEADS.read_text().splitlines(keepends=True)[: ROWS + 1]))
    return path


def lines_file(path, positions) -> str:
    """The leads at these row positions, as the file the CLI reads (their lines as stored)."""
    lines = LEADS.read_text().splitlines(keepends=True)
    path.write_text(lines[0] + "".join(lines[position + 1] for position in positions))
    return str(path)


def read(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype={"lead_id": str, "id": str}, keep_default_na=False, na_values=[""])


def assert_equals_the_clis_csv(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    """``ours`` holds what the CLI's CSV does. A reason's ``_value`` and ``_typical`` come
    back as the numbers or strings the rows held (NaN for a missing one), where the CSV's
    column is text when it holds a string or a missing value (``nan``): those columns
    compare cell by cell, a number with the number the text reads as; the rest exactly."""
    assert list(ours.columns) == list(theirs.columns)
    texts = [column for column in theirs.columns
             if pd.api.types.is_string_dtype(theirs[column]) and not pd.api.types.is_string_dtype(ours[column])]
    assert all(column.endswith(("_value", "_typical")) for column in texts), texts
    for column in texts:
        for position, (mine, cli_text) in enumerate(zip(ours[column], theirs[column])):
            where = f"{column} row {position}: {mine!r} against {cli_text!r}"
            if isinstance(mine, str):
                assert mine == cli_text, where
            elif pd.isna(mine):
                assert pd.isna(cli_text) or cli_text == "nan", where
            else:
                assert not isinstance(cli_text, float) and float(cli_text) == mine, where
    rest = [column for column in ours.columns if column not in texts]
    pd.testing.assert_frame_equal(ours[rest], theirs[rest], check_exact=True)


def cli_attributions(tmp_path, *arguments: str) -> pd.DataFrame:
    out = tmp_path / "cli-attributions.csv"
    cli("attributions", *arguments, "--format", "csv", "--out", str(out))
    return read(out.read_bytes())


def test_attributions_of_the_xgboost_model_equal_the_clis(leads, rows_file, tmp_path):
    ours = fairlead.attributions(XGB_MODEL, leads.head(ROWS))
    theirs = cli_attributions(tmp_path, "--model", str(XGB_MODEL), "--data", str(rows_file))
    assert len(ours) == ROWS
    assert "base_value" in ours.columns or "base" in " ".join(ours.columns)
    pd.testing.assert_frame_equal(ours, theirs, check_exact=True)


def test_attributions_grouped_by_source_column(leads, rows_file, tmp_path):
    ours = fairlead.attributions(XGB_MODEL, leads.head(ROWS), group_features=True)
    theirs = cli_attributions(tmp_path, "--model", str(XGB_MODEL), "--data", str(rows_file), "--group-features")
    pd.testing.assert_frame_equal(ours, theirs, check_exact=True)
    assert "lead_source" in ours.columns


@pytest.mark.parametrize("name", ["logreg-leads.onnx", "logreg-leads-pipeline.onnx"])
def test_attributions_of_an_onnx_model_equal_the_clis(leads, tmp_path, name):
    model = ONNX_MODELS / name
    # LinearSHAP against the rows' own means: rows without missing numbers (the pipeline
    # imputes them, the plain model cannot).
    positions = [int(p) for p in np.flatnonzero(leads.notna().all(axis=1).to_numpy())[:ROWS]]
    rows = leads.iloc[positions]
    ours = fairlead.attributions(model, rows)
    theirs = cli_attributions(tmp_path, "--model", str(model), "--data", lines_file(tmp_path / "complete.csv", positions))
    assert len(ours) == ROWS
    pd.testing.assert_frame_equal(ours, theirs, check_exact=True)
    # The same model as bytes, as onnx.load(...).SerializeToString() gives it.
    from_bytes = fairlead.attributions(model.read_bytes(), rows)
    pd.testing.assert_frame_equal(from_bytes, theirs, check_exact=True)


def test_an_onnx_tree_ensemble_with_background(leads, rows_file, tmp_path):
    model = ONNX_MODELS / "rf-leads.onnx"
    background = tmp_path / "background.csv"
    lines = LEADS.read_text().splitlines(keepends=True)
    background.write_text(lines[0] + "".join(lines[1001:1041]))
    ours = fairlead.attributions(model, leads.head(ROWS), background=leads.iloc[1000:1040])
    theirs = cli_attributions(tmp_path, "--model", str(model), "--data", str(rows_file), "--background", str(background))
    pd.testing.assert_frame_equal(ours, theirs, check_exact=True)


def test_explain_with_a_model_equals_the_clis(leads, rows_file):
    ours = fairlead.explain(XGB_MODEL, leads.head(ROWS), sensitive=["ethnicity", "gender"], top=2)
    theirs = read(cli("explain", "--model", str(XGB_MODEL), "--data", str(rows_file), "--sensitive", "ethnicity,gender",
                      "--top", "2", "--format", "csv").stdout)
    assert len(ours) > 0
    assert_equals_the_clis_csv(ours, theirs)
    assert not ours.astype(str).apply(lambda column: column.str.contains("ethnicity|gender")).any().any()


def test_explain_with_a_profile_equals_the_clis(leads, rows_file):
    ours = fairlead.explain(None, leads.head(ROWS), profile=EXPLANATIONS, ids=["L0000003", "L0000001"])
    theirs = read(cli("explain", "--profile", str(EXPLANATIONS), "--data", str(rows_file), "--ids", "L0000003,L0000001",
                      "--format", "csv").stdout)
    assert_equals_the_clis_csv(ours, theirs)


def test_explain_an_onnx_tree_ensemble_against_background_rows(leads, rows_file, tmp_path):
    model = ONNX_MODELS / "onehot-gbc-leads.onnx"
    background = lines_file(tmp_path / "background.csv", range(1000, 1100))
    ours = fairlead.explain(model, leads.head(ROWS), sensitive="ethnicity", background=leads.iloc[1000:1100])
    theirs = read(cli("explain", "--model", str(model), "--data", str(rows_file), "--sensitive", "ethnicity",
                      "--background", background, "--format", "csv").stdout)
    assert ours["raising_1"].notna().any()
    assert_equals_the_clis_csv(ours, theirs)


def test_ids_and_values_come_back_as_the_rows_held_them(leads, tmp_path):
    """The CLI's CSV neutralises formulas for spreadsheets (``'=1+1``) and shows controls
    as text; the frames hold the ids and values themselves, so they join back to ``X``."""
    rows = leads.head(5).copy()
    rows["lead_id"] = ["=1+1", "-7", "@home", "plain", "tab\there"]
    rows["job_level"] = ["=cmd|' /C calc'!A0", "vp", "vp", "vp", "vp"]
    # The model has no job_level feature for the formula: said as a warning, never a reason.
    with pytest.warns(fairlead.FairleadWarning, match=r"job_level: 1 row holds a value the model has no feature for"):
        shap = fairlead.attributions(XGB_MODEL, rows)
    assert shap["id"].tolist() == rows["lead_id"].tolist()
    assert shap.merge(rows, left_on="id", right_on="lead_id")["id"].tolist() == rows["lead_id"].tolist()
    # No sensitive columns: with five rows, a proxy check would withhold most features.
    with pytest.warns(fairlead.FairleadWarning, match=r"not given as a reason for that lead"):
        reasons = fairlead.explain(XGB_MODEL, rows, top=5)
    assert reasons["id"].tolist() == rows["lead_id"].tolist()
    values = [value for k in range(1, 6) for direction in ("raising", "lowering")
              for feature, value in zip(reasons[f"{direction}_{k}_feature"], reasons[f"{direction}_{k}_value"])
              if feature == "job_level"]
    assert values == ["vp"] * len(values) and len(values) == 4
    # The CLI's CSV of the same rows holds them escaped: what the frames no longer show.
    path = tmp_path / "rows.csv"
    rows.to_csv(path, index=False)
    out = tmp_path / "cli.csv"
    cli("attributions", "--model", str(XGB_MODEL), "--data", str(path), "--format", "csv", "--out", str(out))
    assert read(out.read_bytes())["id"].tolist()[0] == "'=1+1"


DROP_FIRST_MODEL = ('{"format":"fairlead-linear","version":1,"link":"logit","intercept":-1,"features":['
                    '{"name":"lead_source=paid_search","coefficient":1.0},{"name":"lead_source=trade_show","coefficient":0.5},'
                    '{"name":"lead_source=web_form","coefficient":-0.5}]}')


def test_baseline_levels_name_the_level_a_drop_first_encoding_left_out(leads, tmp_path):
    model = tmp_path / "model.json"
    model.write_text(DROP_FIRST_MODEL)
    # L0000004's lead source is cold_outbound, the level the model's encoding dropped.
    with pytest.warns(fairlead.FairleadWarning) as plain_warnings:
        plain = fairlead.explain(model, leads, ids=["L0000004"])
    assert not plain.astype(str).apply(lambda column: column.str.contains("Lead source")).any().any()
    assert any("cold_outbound" in str(warning.message) for warning in plain_warnings)
    # The one lead explained holds the declared level: nothing unseen is left to warn about.
    with warnings.catch_warnings(record=True) as declared_warnings:
        warnings.simplefilter("always")
        declared = fairlead.explain(model, leads, ids=["L0000004"], baseline_levels={"lead_source": "cold_outbound"})
    assert [str(warning.message) for warning in declared_warnings] == []
    assert declared.loc[0, "lowering_1"] == "Lead source is cold_outbound — the strongest reason against it"
    # Over leads that hold other values, only those are reported.
    with pytest.warns(fairlead.FairleadWarning) as some_warnings:
        fairlead.explain(model, leads.head(ROWS), baseline_levels={"lead_source": "cold_outbound"})
    messages = [str(warning.message) for warning in some_warnings]
    assert any('("referral", "webinar")' in message for message in messages), messages
    assert not any("cold_outbound" in message for message in messages), messages
    theirs = read(cli("explain", "--model", str(model), "--data", str(LEADS), "--ids", "L0000004",
                      "--baseline-level", "lead_source=cold_outbound", "--format", "csv").stdout)
    # The dropped level's margin is the intercept, -1: the CSV's column reads as integers.
    assert declared.loc[0, "margin"] == -1.0 and theirs.loc[0, "margin"] == -1
    assert list(declared.columns) == list(theirs.columns)
    assert declared.loc[0, "lowering_1"] == theirs.loc[0, "lowering_1"]
    assert declared.loc[0, "lowering_1_points"] == theirs.loc[0, "lowering_1_points"]
    with pytest.raises(fairlead.FairleadError, match="'web_form' of 'lead_source' is not a dropped level"):
        fairlead.explain(model, leads, ids=["L0000004"], baseline_levels={"lead_source": "web_form"})
    with pytest.raises(TypeError, match="baseline_levels"):
        fairlead.explain(model, leads, baseline_levels=[("lead_source", "cold_outbound")])
    with pytest.raises(ValueError, match="baseline_levels"):
        fairlead.explain(None, leads, profile=EXPLANATIONS, baseline_levels={"lead_source": "cold_outbound"})


def test_attributions_take_baseline_levels_too(leads, tmp_path):
    model = tmp_path / "model.json"
    model.write_text(DROP_FIRST_MODEL)
    with pytest.raises(fairlead.FairleadError, match="'lead_sourc' is not a column the model's one-hot features come from"):
        fairlead.attributions(model, leads.head(ROWS), baseline_levels={"lead_sourc": "cold_outbound"})
    frame = fairlead.attributions(model, leads.head(ROWS), baseline_levels={"lead_source": "cold_outbound"})
    assert len(frame) == ROWS


def test_explain_compares_the_models_score_with_the_rows_score(leads):
    rows = leads.head(ROWS)
    with pytest.warns(fairlead.FairleadWarning, match=r"the model's score differs from the data's score column 'score' by more than 0\.001"):
        ours = fairlead.explain(XGB_MODEL, rows, sensitive=["ethnicity", "gender"], top=1, score="score")
    # The model's own scores written back into the rows: no warning.
    rescored = rows.copy()
    rescored["score"] = ours.set_index("id").loc[rows["lead_id"].astype(str), "score"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", fairlead.FairleadWarning)
        again = fairlead.explain(XGB_MODEL, rescored, sensitive=["ethnicity", "gender"], top=1, score="score")
    assert list(again["score"]) == list(ours["score"])
    with pytest.raises(fairlead.FairleadError, match=r"--score: the data has no column 'scores'"):
        fairlead.explain(XGB_MODEL, rows, sensitive=["ethnicity", "gender"], score="scores")
