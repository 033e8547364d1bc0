"""Bad input raises FairleadError with the CLI's message and exit code; temporary files go."""

from __future__ import annotations

import os
import stat
import tempfile

import pytest

import fairlead
from conftest import LEADS, PREDEPLOYMENT, cli


@pytest.fixture
def temporary_folder(tmp_path, monkeypatch):
    """tempfile's folder, watched: every file the package makes is in it while it runs."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_missing_column_is_exit_code_2_with_the_clis_message(leads, temporary_folder):
    with pytest.raises(fairlead.FairleadError) as raised:
        fairlead.audit(leads, score="scor", label="converted", sensitive="ethnicity", threshold=0.3)
    assert raised.value.exit_code == 2
    # The CLI's own message, naming the column and the closest ones in the frame.
    # The CLI's own message for the frame's header on standard input: it names the column
    # and the closest of the frame's columns.
    header = (",".join(leads.columns) + "\n").encode()
    direct = cli("audit", "--data", "-", "--score", "scor", "--label", "converted", "--sensitive", "ethnicity",
                 "--threshold", "0.3", answers=(2,), stdin=header).stderr.decode().strip()
    assert direct == f"fairlead: {raised.value.message}"
    assert "scor" in raised.value.message and "score" in raised.value.message
    assert not raised.value.message.startswith("fairlead:")
    assert list(temporary_folder.iterdir()) == []


def test_a_column_the_profile_needs_is_named(leads, temporary_folder):
    with pytest.raises(fairlead.FairleadError) as raised:
        fairlead.audit(leads.drop(columns=["ethnicity"]), PREDEPLOYMENT)
    assert raised.value.exit_code == 2
    assert "ethnicity" in raised.value.message
    assert list(temporary_folder.iterdir()) == []


def test_a_bad_profile_is_the_clis_message(leads, tmp_path, temporary_folder):
    profile = tmp_path / "bad.yaml"
    profile.write_text(f"name: bad\ndata: {{path: {LEADS}, score: score, label: converted}}\n"
                       "sensitive: [ethnicity]\ndecisions: [{threshold: 0.3}]\nrules: [disparate_impakt >= 0.8]\n")
    with pytest.raises(fairlead.FairleadError) as raised:
        fairlead.audit(leads, profile)
    direct = cli("audit", "--profile", str(profile), answers=(2,)).stderr.decode().strip()
    assert raised.value.exit_code == 2
    assert direct == f"fairlead: {raised.value.message}"
    assert "disparate_impakt" in raised.value.message and "bad.yaml" in raised.value.message
    assert list(temporary_folder.iterdir()) == []


def test_a_usage_error_is_exit_code_2(leads):
    with pytest.raises(fairlead.FairleadError) as raised:
        fairlead.audit(leads, score="score", sensitive="ethnicity")
    assert raised.value.exit_code == 2
    assert "--threshold" in raised.value.message


def test_explain_errors_remove_their_files(leads, temporary_folder):
    with pytest.raises(fairlead.FairleadError) as raised:
        fairlead.attributions(str(LEADS), leads.head(5))
    assert raised.value.exit_code == 2
    assert list(temporary_folder.iterdir()) == []


def test_a_missing_system_library_says_what_to_install(tmp_path, monkeypatch):
    # What the dynamic loader prints when libopenblas0 is not installed.
    stand_in = tmp_path / "fairlead"
    stand_in.write_text("#!/bin/sh\necho \"$0: error while loading shared libraries: libopenblas.so.0: "
                        "cannot open shared object file: No such file or directory\" >&2\nexit 127\n")
    stand_in.chmod(stand_in.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(fairlead.BINARY_VARIABLE, str(stand_in))
    with pytest.raises(fairlead.FairleadError) as raised:
        fairlead.audit(LEADS, PREDEPLOYMENT)
    assert raised.value.exit_code == 127
    assert "libopenblas.so.0" in raised.value.message and "apt-get install libopenblas0" in raised.value.message


def test_a_binary_that_is_not_there_is_a_fairlead_error(tmp_path, monkeypatch):
    monkeypatch.setenv(fairlead.BINARY_VARIABLE, str(tmp_path / "nothing"))
    with pytest.raises(fairlead.FairleadError, match="FAIRLEAD_BINARY"):
        fairlead.audit(LEADS, PREDEPLOYMENT)


def test_a_scikit_learn_model_without_skl2onnx_names_the_install(leads):
    sklearn = pytest.importorskip("sklearn.linear_model")
    try:
        import skl2onnx  # noqa: F401
        pytest.skip("skl2onnx is installed")
    except ImportError:
        pass
    features = leads[["web_visits", "email_opens", "pricing_page_views"]].fillna(0)
    model = sklearn.LogisticRegression().fit(features, leads["converted"])
    with pytest.raises(fairlead.FairleadError, match="pip install skl2onnx"):
        fairlead.attributions(model, features.head(5))


def test_the_wheels_binary_is_executable_and_reports_the_packages_version():
    binary = fairlead.binary_path()
    assert os.access(binary, os.X_OK)
    if not os.environ.get(fairlead.BINARY_VARIABLE):
        assert cli("--version").stdout.decode().strip() == fairlead.__version__
