"""A DataFrame audit equals the CLI's audit of the same rows, field by field, and hands
over only the columns the audit needs."""

from __future__ import annotations

import hashlib
import io
import math

import pandas as pd
import pytest

import fairlead
from conftest import (DIFFERING_FIELDS, EXPLANATIONS, LEADS, PREDEPLOYMENT, QUICK, QUICK_FLAGS, cli_report, differences,
                      without)


def sent_bytes(frame: pd.DataFrame, columns: list) -> bytes:
    """The CSV of `columns` as pandas writes it: what the CLI must have received."""
    return frame[columns].to_csv(index=False, lineterminator="\n").encode("utf-8")


def test_profile_audit_of_a_dataframe_equals_the_cli_audit_of_the_file(predeployment, predeployment_cli):
    report, expected = predeployment, predeployment_cli
    assert report.status == "FAIL" and report.exit_code == 1
    assert report.raw["data"]["source"] == "-"
    ours, theirs = without(report.raw, DIFFERING_FIELDS), without(expected, DIFFERING_FIELDS)
    assert differences(ours, theirs) == []


def test_quick_audit_from_keywords_equals_the_cli_quick_audit(leads):
    report = fairlead.audit(leads, **QUICK)
    expected = cli_report("--data", str(LEADS), *QUICK_FLAGS)
    assert report.status == "FAIL"
    assert differences(without(report.raw, DIFFERING_FIELDS), without(expected, DIFFERING_FIELDS)) == []


def test_bootstrap_sets_the_intervals_replicates(leads):
    report = fairlead.audit(leads, **QUICK, bootstrap=0)
    assert report.raw["settings"]["bootstrap_replicates"] == 0
    expected = cli_report("--data", str(LEADS), *QUICK_FLAGS, "--bootstrap", "0")
    assert differences(without(report.raw, DIFFERING_FIELDS), without(expected, DIFFERING_FIELDS)) == []
    with pytest.raises(fairlead.FairleadError) as raised:
        fairlead.audit(leads, **QUICK, bootstrap=5)
    assert "--bootstrap: 5 replicates cannot give a 95% percentile interval" in raised.value.message


def test_a_path_is_audited_by_the_cli_itself(predeployment_cli):
    report = fairlead.audit(LEADS, PREDEPLOYMENT)
    assert report.columns_sent is None
    # The same file read by the CLI: only the time differs.
    assert report.raw["data"]["source"] == str(LEADS)
    differing = [("generated_at",), ("data", "source")]
    assert differences(without(report.raw, differing), without(predeployment_cli, differing)) == []


def test_only_the_profiles_columns_are_handed_over(leads, predeployment):
    report = predeployment
    # The profile reads score, label and three sensitive columns, and checks the id column.
    expected = ["lead_id", "gender", "age_band", "ethnicity", "score", "converted"]
    assert report.columns_sent == expected
    received = sent_bytes(leads, expected)
    assert report.raw["data"]["sha256"] == hashlib.sha256(received).hexdigest()
    assert report.raw["data"]["bytes"] == len(received)
    assert report.raw["rows"]["read"] == len(leads)


def test_a_model_profile_hands_over_the_features_too(leads):
    report = fairlead.audit(leads, EXPLANATIONS)
    read = report.raw["data"]["columns"]
    assert {"web_visits", "lead_source", "pricing_page_views"} <= set(read)
    assert set(report.columns_sent) == set(read) | {"lead_id"}
    assert not {"postal_area", "industry"} & set(report.columns_sent) - set(read)
    received = sent_bytes(leads, report.columns_sent)
    assert report.raw["data"]["sha256"] == hashlib.sha256(received).hexdigest()
    expected = cli_report("--profile", str(EXPLANATIONS))
    # The explanations section names the data its reference rows came from, too.
    differing = DIFFERING_FIELDS + [("explanations", "reference", "source")]
    assert report.raw["explanations"]["reference"]["source"] == "-"
    assert differences(without(report.raw, differing), without(expected, differing)) == []


def test_quick_audit_hands_over_the_keywords_columns(leads):
    report = fairlead.audit(leads, **QUICK)
    assert report.columns_sent == ["gender", "ethnicity", "score", "converted"]
    assert report.raw["data"]["sha256"] == hashlib.sha256(sent_bytes(leads, report.columns_sent)).hexdigest()


def test_the_id_as_index_is_still_the_id_column(leads, tmp_path):
    # A small profile that names the id column (no bootstrap: the columns are the point).
    profile = tmp_path / "with-id.yaml"
    profile.write_text("name: with-id\ndata: {id: lead_id, score: score, label: converted}\nsensitive: [ethnicity]\n"
                       "decisions: [{threshold: 0.3}]\nsettings: {bootstrap: 0}\n")
    report = fairlead.audit(leads.set_index("lead_id"), profile)
    assert report.columns_sent == ["lead_id", "ethnicity", "score", "converted"]
    assert report.raw["rows"]["read"] == len(leads)


def test_booleans_are_written_as_zero_and_one(leads):
    frame = leads.assign(converted=leads["converted"].astype(bool))
    report = fairlead.audit(frame, **QUICK)
    expected = fairlead.audit(leads, **QUICK)
    assert differences(without(report.raw, DIFFERING_FIELDS), without(expected.raw, DIFFERING_FIELDS)) == []


def test_findings_are_one_row_per_finding(predeployment):
    report = predeployment
    findings = report.findings
    assert len(findings) == len(report.raw["findings"])
    assert list(findings.columns[:5]) == ["rule", "metric", "decision", "attribute", "group"]
    failed = findings[findings["verdict"] == "fail"]
    assert len(failed) > 0
    first = report.raw["findings"][0]
    assert findings.loc[0, "rule"] == first["rule"]
    if first.get("interval"):
        assert findings.loc[0, "interval_lower"] == pytest.approx(first["interval"][0], abs=0)
    # Each undecided finding says why in one word; a pass or fail has no cause.
    undecided = findings["verdict"] == "insufficient_evidence"
    assert undecided.any()
    assert findings.loc[undecided, "undecided_cause"].notna().all()
    assert findings.loc[~undecided, "undecided_cause"].isna().all()
    assert list(findings["undecided_cause"].dropna()) == [f["undecided_cause"] for f in report.raw["findings"] if "undecided_cause" in f]
    # The other groups a reason names, as a list: the report's, or empty.
    named = [list(f.get("named_groups", [])) for f in report.raw["findings"]]
    assert sum(1 for groups in named if groups) > 0
    assert list(findings["named_groups"]) == named


def test_by_group_is_groups_by_metrics_as_in_the_report(predeployment):
    report = predeployment
    table = report.by_group("threshold_0.3", "ethnicity")
    groups = report.raw["decisions"]["threshold_0.3"]["attributes"]["ethnicity"]["groups"]
    assert table.index.name == "ethnicity"
    assert list(table.index) == list(groups)
    assert {"count", "share", "selection_rate", "true_positive_rate"} <= set(table.columns)
    for group, body in groups.items():
        assert table.loc[group, "count"] == body["count"]
        value = body["metrics"]["selection_rate"].get("value")
        assert (math.isnan(table.loc[group, "selection_rate"]) if value is None
                else table.loc[group, "selection_rate"] == value)
    with_intervals = report.by_group("threshold_0.3", "ethnicity", intervals=True)
    black = groups["black"]["metrics"]["selection_rate"]["interval"]
    assert with_intervals.loc["black", ["selection_rate_lower", "selection_rate_upper"]].tolist() == black
    overall = report.raw["decisions"]["threshold_0.3"]["attributes"]["ethnicity"]["overall"]
    assert report.overall("threshold_0.3", "ethnicity")["count"] == overall["count"]
    with pytest.raises(KeyError, match="top_10pct"):
        report.by_group("threshold_0.5", "ethnicity")


def test_to_json_is_the_clis_text(leads):
    report = fairlead.audit(leads, **QUICK)
    assert fairlead.AuditReport(report.to_json()).raw == report.raw
    assert report.to_json().lstrip().startswith("{")


def test_statuses_read_as_the_cli_prints_them(leads):
    no_rules = fairlead.audit(leads, score="score", label="converted", sensitive="ethnicity", threshold=0.3)
    assert no_rules.status == "NO RULES" and no_rules.exit_code == 0
    assert fairlead.audit(leads, **QUICK).status == "FAIL"


def test_repr_html_is_the_self_contained_page_with_the_verdict(predeployment):
    report = predeployment
    page = report.to_html()
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "Content-Security-Policy" in page and "default-src &#39;none&#39;" in page
    assert "FAIL" in page
    inline = report._repr_html_()
    assert inline.startswith("<iframe") and 'srcdoc="' in inline and 'sandbox=""' in inline
    assert "FAIL" in inline and "&lt;!DOCTYPE html&gt;" in inline
    # No request leaves the page: nothing but inline content and fragment links.
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page.replace("https://www.w3.org", "")
