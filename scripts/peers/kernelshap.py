"""Peer of the `kernelshap` workload: shap's KernelExplainer (l1_reg=False) on the margins
of an XGBoost model (xgboost on one thread) or a Fairlead linear JSON model (numpy, missing
values as 0), rows 0..<--rows against rows 1000..<1000+--background-rows of the matrix
written by treeshap.py --prepare, --samples coalitions per row."""
import argparse
import json
import os
import resource
import time

import numpy as np
import shap
import xgboost as xgb

from treeshap import read_matrix

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--data", required=True)
parser.add_argument("--rows", type=int, default=20)
parser.add_argument("--background-rows", type=int, default=50)
parser.add_argument("--samples", type=int, default=512)
args = parser.parse_args()
data = read_matrix(args.data)
with open(args.model) as handle:
    document = json.load(handle)
if document.get("format") == "fairlead-linear":
    data = np.nan_to_num(data, nan=0.0)
    coefficients = np.array([feature["coefficient"] for feature in document["features"]])
    intercept = document["intercept"]

    def margin(rows):
        return rows @ coefficients + intercept
else:
    booster = xgb.Booster(model_file=args.model)
    booster.set_param({"nthread": 1})

    def margin(rows):
        return booster.predict(xgb.DMatrix(rows, nthread=1), output_margin=True, validate_features=False)


start, cpu_start = time.perf_counter(), time.process_time()
explainer = shap.KernelExplainer(margin, data[1000:1000 + args.background_rows])
explainer.shap_values(data[: args.rows], nsamples=args.samples, l1_reg=False, silent=True)
seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
print(json.dumps({"workload": "kernelshap", "peer": f"shap {shap.__version__} KernelExplainer", "seconds": seconds,
                  "model": os.path.basename(args.model),
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "rows": args.rows, "background_rows": args.background_rows, "samples": args.samples,
                  "cpu_seconds": cpu_seconds}))
