"""Peer of the `metrics` workload: Fairlearn's MetricFrame (no bootstrap) on the same rows.

The rows are the same pure function of the row index as in
Benchmarks/fairlead-bench/Workloads/MetricsWorkload.swift (SplitMix64 of 4i + field):
score, a label drawn with P(y = 1) = score, two sensitive attributes with 4 levels each
(16 intersection groups), decision score >= 0.5. Timed: building the MetricFrames (every
per-group metric Fairlearn and scikit-learn offer for a confusion matrix, plus the mean
score) and their group_min / group_max / difference / ratio with both methods.
"""
import argparse
import os
import sys
import json
import resource
import time

import numpy as np
import pandas as pd
import sklearn.metrics as skm

import fairlearn
import fairlearn.metrics as flm

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synthetic_rows  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=10_000_000)
args = parser.parse_args()


score, label, region, age_band = synthetic_rows.rows(args.rows)
sensitive = pd.DataFrame({"region": region, "age_band": age_band})

metrics = {
    "count": flm.count,
    "base_rate": lambda y_true, y_pred: float(np.mean(y_true)),
    "selection_rate": flm.selection_rate,
    "true_positive_rate": flm.true_positive_rate,
    "false_positive_rate": flm.false_positive_rate,
    "true_negative_rate": flm.true_negative_rate,
    "false_negative_rate": flm.false_negative_rate,
    "positive_predictive_value": lambda y_true, y_pred: skm.precision_score(y_true, y_pred, zero_division=0),
    "accuracy": skm.accuracy_score,
}

start = time.perf_counter()
prediction = (score >= 0.5).astype(np.int64)
frame = flm.MetricFrame(metrics=metrics, y_true=label, y_pred=prediction, sensitive_features=sensitive)
means = flm.MetricFrame(metrics={"mean_score": flm.mean_prediction}, y_true=label, y_pred=score,
                        sensitive_features=sensitive)
reductions = []
for f in (frame, means):
    reductions += [f.group_min(), f.group_max()]
    for method in ("between_groups", "to_overall"):
        reductions += [f.difference(method=method), f.ratio(method=method)]
seconds = time.perf_counter() - start

print(json.dumps({
    "workload": "metrics", "peer": f"fairlearn {fairlearn.__version__}", "seconds": seconds,
    "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "rows": args.rows, "groups": int(frame.by_group.shape[0]),
    "selection_rate": float(frame.overall["selection_rate"]),
    "dp_difference": float(frame.difference()["selection_rate"]),
}))
