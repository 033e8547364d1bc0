"""Shared helpers: the repository's fixtures and the CLI run directly, to compare with the API.

The tests import the installed `fairlead` package (scripts/python-tests installs the wheel
into a virtual environment); the binary is the wheel's, or $FAIRLEAD_BINARY.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pandas as pd
import pytest

import fairlead

ROOT = Path(__file__).resolve().parents[2]
LEADS = ROOT / "fixtures" / "leads" / "leads-sample.csv"
PREDEPLOYMENT = ROOT / "fixtures" / "profiles" / "leads-predeployment.yaml"
EXPLANATIONS = ROOT / "fixtures" / "profiles" / "leads-explanations.yaml"
XGB_MODEL = ROOT / "fixtures" / "models" / "xgb-leads-logistic.json"
ONNX_MODELS = ROOT / "fixtures" / "models" / "onnx"

# What must differ between an audit of a DataFrame (its needed columns, piped) and the
# CLI's audit of the file: when it ran, and which bytes it read from where.
DIFFERING_FIELDS = [("generated_at",), ("data", "source"), ("data", "sha256"), ("data", "bytes")]


def cli(*arguments: str, answers: Tuple[int, ...] = (0,), stdin: bytes = b"") -> subprocess.CompletedProcess:
    """The binary the package runs, run directly."""
    completed = subprocess.run([fairlead.binary_path(), *arguments], capture_output=True, input=stdin)
    assert completed.returncode in answers, completed.stderr.decode()
    return completed


def cli_report(*arguments: str) -> Dict[str, Any]:
    """`fairlead audit ARGS --format json` as the CLI writes it (exit 0 or 1)."""
    return json.loads(cli("audit", *arguments, "--format", "json", answers=(0, 1)).stdout)


def without(report: Dict[str, Any], fields: List[Tuple[str, ...]]) -> Dict[str, Any]:
    """A copy of `report` with each field (a key path) removed; each must be there."""
    copy = json.loads(json.dumps(report))
    for path in fields:
        node = copy
        for key in path[:-1]:
            node = node[key]
        assert path[-1] in node, f"{'.'.join(path)} is not in the report"
        del node[path[-1]]
    return copy


def differences(left: Any, right: Any, path: str = "") -> List[str]:
    """Every key path where two JSON values differ, to say which field broke an equality."""
    if isinstance(left, dict) and isinstance(right, dict):
        found = []
        for key in sorted(set(left) | set(right)):
            if key not in left or key not in right:
                found.append(f"{path}.{key} only on one side")
            else:
                found += differences(left[key], right[key], f"{path}.{key}")
        return found
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return [f"{path}: {len(left)} against {len(right)} items"]
        return [item for index, (a, b) in enumerate(zip(left, right)) for item in differences(a, b, f"{path}[{index}]")]
    return [] if left == right else [f"{path}: {left!r} != {right!r}"]


# A quick audit from keywords, and the same as `fairlead audit` flags.
QUICK = dict(score="score", label="converted", sensitive=["ethnicity", "gender"], threshold=0.3,
             reference={"ethnicity": "white"}, rules=["disparate_impact >= 0.8"])
QUICK_FLAGS = ["--score", "score", "--label", "converted", "--sensitive", "ethnicity,gender", "--threshold", "0.3",
               "--reference", "ethnicity=white", "--rule", "disparate_impact >= 0.8"]


@pytest.fixture(scope="session")
def leads() -> pd.DataFrame:
    return pd.read_csv(LEADS)


@pytest.fixture(scope="session")
def predeployment(leads) -> "fairlead.AuditReport":
    """The bundled pre-deployment audit of the leads as a DataFrame (made once: it bootstraps)."""
    return fairlead.audit(leads, PREDEPLOYMENT)


@pytest.fixture(scope="session")
def predeployment_cli() -> Dict[str, Any]:
    """The CLI's report of the same audit of the file."""
    return cli_report("--profile", str(PREDEPLOYMENT))
