"""Peer of the `consistency` workload: AIF360's consistency() (scikit-learn's ball-tree
k nearest neighbours, k = 5) on the same standardized features and decisions.

    python3 scripts/peers/consistency_aif360.py --prepare --rows 20000 --out-dir bench-data
    python3 scripts/peers/consistency_aif360.py --data bench-data/consistency-20000.f64

--prepare writes ROWS x (FEATURES + 1) float64 little-endian values (FEATURES features,
8 unless --features says otherwise, from numpy's seeded PCG64, then a 0/1 decision: a
noisy linear rule over them) to consistency-ROWS.f64, or consistency-ROWSxFEATURES.f64
when FEATURES is not 8 (the wide inputs of the k-d tree / GEMM tiles rule). Timed: StandardScaler on the
features, then BinaryLabelDatasetMetric(dataset).consistency(n_neighbors=5) with the
decisions as labels (the dataset built before timing). Needs aif360 (pip install aif360);
run scripts/bench-vs-peers with the Python that has it.
"""
import argparse
import json
import os
import resource
import sys
import time
import warnings

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--prepare", action="store_true")
parser.add_argument("--rows", type=int, default=20_000)
parser.add_argument("--features", type=int, default=8)
parser.add_argument("--out-dir", default="bench-data")
parser.add_argument("--data")
args = parser.parse_args()

FEATURES = args.features

if args.prepare:
    suffix = "" if FEATURES == 8 else f"x{FEATURES}"
    path = os.path.join(args.out_dir, f"consistency-{args.rows}{suffix}.f64")
    if not os.path.exists(path):
        os.makedirs(args.out_dir, exist_ok=True)
        rng = np.random.Generator(np.random.PCG64(20261216))
        x = rng.normal(size=(args.rows, FEATURES)) * rng.uniform(0.5, 20, FEATURES)
        margin = (x / x.std(axis=0)) @ rng.normal(size=FEATURES) + rng.normal(0, 1.0, args.rows)
        table = np.column_stack([x, (margin > 0.8).astype(float)])
        table.astype("<f8").tofile(path)
    print(path)
    sys.exit(0)

warnings.filterwarnings("ignore")
import pandas as pd  # noqa: E402
import aif360  # noqa: E402
from aif360.datasets import BinaryLabelDataset  # noqa: E402
from aif360.metrics import BinaryLabelDatasetMetric  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

table = np.fromfile(args.data, dtype="<f8").reshape(-1, FEATURES + 1)
x, decisions = table[:, :FEATURES], table[:, FEATURES]
start = time.perf_counter()
scaled = StandardScaler().fit_transform(x)
frame = pd.DataFrame(scaled, columns=[f"f{i}" for i in range(FEATURES)])
frame["g"] = 0.0
frame["y"] = decisions
dataset = BinaryLabelDataset(df=frame, label_names=["y"], protected_attribute_names=["g"])
value = float(np.ravel(BinaryLabelDatasetMetric(dataset).consistency(n_neighbors=5))[0])
seconds = time.perf_counter() - start
print(json.dumps({"workload": "consistency", "peer": f"aif360 {aif360.__version__}", "seconds": seconds,
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "rows": len(decisions), "consistency": value}))
