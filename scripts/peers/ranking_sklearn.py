"""Peer of the `ranking` workload: per-group scikit-learn metrics and pandas top-k shares
on the same rows.

The rows are the same pure function of the row index as in
Benchmarks/fairlead-bench/Workloads/MetricsWorkload.swift (SplitMix64 of 4i + field):
score, a label drawn with P(y = 1) = score, two sensitive attributes with 4 levels each.
Timed, for each attribute: the queue ranked by score descending then row index
(numpy lexsort), each group's share of the top 1,000, 1% and 10% (pandas value_counts),
and per group scikit-learn's roc_auc_score, calibration_curve (10 uniform bins) and
brier_score_loss. That is a subset of what Fairlead computes (no xAUC, KS, Wasserstein,
skew, NDKL, exposure, ECE or threshold sweep).
"""
import argparse
import os
import sys
import json
import resource
import time

import numpy as np
import pandas as pd
import sklearn
import sklearn.metrics as skm
from sklearn.calibration import calibration_curve

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synthetic_rows  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=10_000_000)
args = parser.parse_args()


score, label, region, age_band = synthetic_rows.rows(args.rows)

start = time.perf_counter()
order = np.lexsort((np.arange(args.rows), -score))
cutoffs = [1000, int(round(0.01 * args.rows)), int(round(0.1 * args.rows))]
checks = {}
for name, codes in (("region", region), ("age_band", age_band)):
    ranked = pd.Series(codes[order])
    shares = [ranked.iloc[:k].value_counts(normalize=True).sort_index() for k in cutoffs]
    frame = pd.DataFrame({"group": codes, "score": score, "label": label})
    per_group = {}
    for group, rows in frame.groupby("group", sort=True):
        y, s = rows["label"].to_numpy(), rows["score"].to_numpy()
        per_group[group] = {
            "auc": skm.roc_auc_score(y, s),
            "calibration": calibration_curve(y, s, n_bins=10, strategy="uniform"),
            "brier": skm.brier_score_loss(y, s),
        }
    if name == "region":
        checks = {"auc_r0": float(per_group[0]["auc"]), "brier_r0": float(per_group[0]["brier"]),
                  "top10_share_r0": float(shares[2].loc[0])}
seconds = time.perf_counter() - start

print(json.dumps({
    "workload": "ranking", "peer": f"scikit-learn {sklearn.__version__} + pandas {pd.__version__}",
    "seconds": seconds, "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "rows": args.rows, **checks,
}))
