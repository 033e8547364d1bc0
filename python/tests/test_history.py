"""A re-audit with history from Python: entries appended, trends read back as a DataFrame."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

import fairlead
from conftest import QUICK, QUICK_FLAGS


def test_audits_append_to_the_history_and_trends_read_them(leads, tmp_path):
    history = tmp_path / "audits.sqlite"
    first = fairlead.audit(leads, **QUICK, history=history, as_of="2026-03-02")
    second = fairlead.audit(leads.iloc[:4000], **QUICK, history=history, as_of="2026-03-09")
    trend = fairlead.history_trends(history, "selection_rate", decision="threshold_0.3", attribute="ethnicity")
    assert list(trend["entry"].unique()) == [1, 2]
    assert set(trend["status"]) == {"fail"}
    for entry, report in ((1, first), (2, second)):
        rows = trend[trend["entry"] == entry].set_index("column")["value"]
        groups = report.raw["decisions"]["threshold_0.3"]["attributes"]["ethnicity"]["groups"]
        for group, body in groups.items():
            assert rows[group] == body["metrics"]["selection_rate"]["value"]
    stored = fairlead.history_entry(history, 2)
    assert stored.raw["findings"] == second.raw["findings"]


def test_the_same_data_again_appends_only_with_rerun(leads, tmp_path):
    history = tmp_path / "audits.sqlite"
    fairlead.audit(leads, **QUICK, history=history, as_of="2026-03-02")
    fairlead.audit(leads, **QUICK, history=history, as_of="2026-03-02")
    trend = fairlead.history_trends(history)
    assert set(trend["entry"]) == {1}
    fairlead.audit(leads, **QUICK, history=history, as_of="2026-03-02", rerun=True)
    # The re-run replaces the run it repeats in the trends; all_runs shows both, marked.
    latest = fairlead.history_trends(history)
    assert set(latest["entry"]) == {2} and set(latest["reruns"]) == {1}
    every = fairlead.history_trends(history, all_runs=True)
    assert set(every["entry"]) == {1, 2}
    reruns = every.drop_duplicates("entry").set_index("entry")["reruns"]
    assert pd.isna(reruns[1]) and reruns[2] == 1


def test_the_console_script_is_the_cli(tmp_path):
    leads = Path(__file__).resolve().parents[2] / "fixtures" / "leads" / "leads-sample.csv"
    script = Path(sys.executable).parent / "fairlead"
    assert script.exists()
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.strip()
    audited = subprocess.run([str(script), "audit", "--data", str(leads), *QUICK_FLAGS], capture_output=True, text=True)
    assert audited.returncode == 1 and "FAIL" in audited.stdout
    refused = subprocess.run([str(script), "audit", "--profile", str(tmp_path / "none.yaml")], capture_output=True, text=True)
    assert refused.returncode == 2 and "none.yaml" in refused.stderr
