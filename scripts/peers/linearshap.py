"""Peer of the `linearshap` workload: shap's LinearExplainer (interventional) on a random
--rows x --features matrix against its first 1,000 rows, numpy on one thread."""
import argparse
import json
import os
import resource
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import shap  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--rows", type=int, default=1_000_000)
parser.add_argument("--features", type=int, default=50)
args = parser.parse_args()
rng = np.random.default_rng(2026)
x = rng.uniform(-1, 1, size=(args.rows, args.features))
coefficients = rng.uniform(-1, 1, size=args.features)
explainer = shap.LinearExplainer((coefficients, -1.0), x[:1000])
start, cpu_start = time.perf_counter(), time.process_time()
values = explainer.shap_values(x)
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
print(json.dumps({"workload": "linearshap", "peer": f"shap {shap.__version__} LinearExplainer", "seconds": seconds,
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "rows": args.rows, "features": args.features,
                  "gigabytes_per_second": args.rows * args.features * 16 / seconds / 1e9, "cpu_seconds": cpu_seconds}))
