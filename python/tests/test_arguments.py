"""Names, values and paths reach the CLI as they are: a leading `-`, a file named `-`, a
carriage return in a group or a column name, a comma in a name the CLI splits at."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import fairlead
from conftest import LEADS, PREDEPLOYMENT, XGB_MODEL

ROWS = 40


def scores(groups, label="converted") -> pd.DataFrame:
    """200 rows: four scores and labels repeated, the groups repeated beside them."""
    return pd.DataFrame({"score": [0.1, 0.9, 0.5, 0.7] * 50, label: [0, 1, 0, 1] * 50,
                         "g": list(groups) * (200 // len(groups))})


@pytest.mark.parametrize("column", ["g", "score"])
def test_a_group_ending_in_a_carriage_return_is_its_own_group(column):
    # "a\r" written bare at the end of a row read back as "a" and a CRLF line end: the
    # group was folded into "a" (100 rows counted as 200).
    frame = scores(["a", "a\r", "a", "b\r"])
    if column == "score":
        frame = frame[["g", "score", "converted"]]
    else:
        frame = frame[["score", "converted", "g"]]
    report = fairlead.audit(frame, score="score", label="converted", sensitive="g", threshold=0.5)
    groups = report.by_group()
    assert list(groups.index) == ["a", "a\r", "b\r"]
    assert list(groups["count"]) == [100, 50, 50]


def test_a_column_name_with_a_carriage_return_is_read_as_it_is(tmp_path):
    frame = scores(["a", "b"]).rename(columns={"g": "region\r"})
    report = fairlead.audit(frame, score="score", label="converted", sensitive=["region\r"], threshold=0.5)
    assert report.attributes() == ["region\r"]
    assert list(report.by_group()["count"]) == [100, 100]
    # With a profile, the header the package asks `validate` about holds the name too.
    profile = tmp_path / "p.yaml"
    profile.write_text('name: p\ndata: {score: score, label: converted}\nsensitive: ["region\\r"]\n'
                       "decisions: [{threshold: 0.5}]\n")
    assert fairlead.needed_columns(frame, profile) == ["score", "converted", "region\r"]
    assert fairlead.audit(frame, profile).attributes() == ["region\r"]


def test_frames_without_a_carriage_return_are_written_as_before():
    frame = scores(["a", "b"])
    report = fairlead.audit(frame, score="score", label="converted", sensitive="g", threshold=0.5)
    assert report.raw["data"]["bytes"] == len(frame.to_csv(index=False, lineterminator="\n").encode())


def test_names_and_paths_starting_with_a_dash(leads, tmp_path, monkeypatch):
    # `--label -y` was read by the CLI as a missing value followed by an option `-y`.
    monkeypatch.chdir(tmp_path)
    frame = scores(["a", "b"], label="-y")
    from_frame = fairlead.audit(frame, score="score", label="-y", sensitive="g", threshold=0.5,
                                rules="disparate_impact >= 0.8")
    assert from_frame.status == "PASS"
    frame.to_csv("-data.csv", index=False)
    from_file = fairlead.audit("-data.csv", score="score", label="-y", sensitive="g", threshold=0.5,
                               history="-audits.sqlite", as_of="2026-03-02")
    assert from_file.raw["data"]["source"] == "-data.csv"
    assert list(fairlead.history_trends("-audits.sqlite", decision="threshold_0.5")["entry"].unique()) == [1]
    assert fairlead.history_entry("-audits.sqlite", 1).raw["data"]["source"] == "-data.csv"

    shutil.copy(PREDEPLOYMENT, "-profile.yaml")
    shutil.copy(PREDEPLOYMENT.parent / "organization-policy.yaml", "organization-policy.yaml")
    assert fairlead.needed_columns(leads, "-profile.yaml") == fairlead.needed_columns(leads, PREDEPLOYMENT)

    shutil.copy(XGB_MODEL, "-model.json")
    reasons = fairlead.explain("-model.json", leads.head(ROWS), ids=["L0000002"], top=1)
    assert list(reasons["id"]) == ["L0000002"]
    assert len(fairlead.attributions("-model.json", leads.head(ROWS))) == ROWS


def test_a_file_named_dash_is_that_file_not_standard_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(LEADS, "-")
    report = fairlead.audit("-", score="score", label="converted", sensitive="gender", threshold=0.3)
    assert report.raw["rows"]["read"] == 5000


@pytest.mark.parametrize("keyword", ["sensitive", "ids"])
def test_a_name_holding_a_comma_is_refused_not_split(leads, keyword):
    # The CLI splits --sensitive and --ids at commas: ["ethnicity,gender"] named two columns.
    with pytest.raises(ValueError, match="holds a comma"):
        if keyword == "sensitive":
            fairlead.audit(LEADS, score="score", label="converted", sensitive=["ethnicity,gender"], threshold=0.3)
        else:
            fairlead.explain(XGB_MODEL, leads.head(ROWS), ids=["L0000001,L0000002"])


def test_a_column_name_held_twice_is_the_clis_message_not_an_attribute_error():
    # `frame[name]` of a duplicated name is a DataFrame: the bool check raised
    # AttributeError ('DataFrame' object has no attribute 'dtype').
    frame = scores(["a", "b"]).assign(flag=[True, False] * 100)
    doubled = pd.concat([frame, frame[["g", "flag"]]], axis=1)
    with pytest.raises(fairlead.FairleadError) as raised:
        fairlead.audit(doubled, score="score", label="converted", sensitive="g", threshold=0.5)
    assert raised.value.exit_code == 2
    assert 'standard input:1:4: duplicate column name "g" in the header row (fields 3 and 4)' in raised.value.message
    # A name held twice among the columns not sent stays out of the audit.
    report = fairlead.audit(pd.concat([frame, frame[["flag"]]], axis=1), score="score", label="converted", sensitive="g",
                            threshold=0.5)
    assert report.raw["rows"]["used"] == 200
