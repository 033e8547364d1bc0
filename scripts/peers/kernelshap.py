"""Peer of the `kernelshap` workload: shap's KernelExplainer (l1_reg=False) on an XGBoost
model's margins, rows 0..<--rows against rows 1000..<1000+--background-rows of the matrix
written by treeshap.py --prepare, --samples coalitions per row, xgboost on one thread."""
import argparse
import json
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
booster = xgb.Booster(model_file=args.model)
booster.set_param({"nthread": 1})


def margin(rows):
    return booster.predict(xgb.DMatrix(rows, nthread=1), output_margin=True, validate_features=False)


start = time.perf_counter()
explainer = shap.KernelExplainer(margin, data[1000:1000 + args.background_rows])
explainer.shap_values(data[: args.rows], nsamples=args.samples, l1_reg=False, silent=True)
seconds = time.perf_counter() - start
print(json.dumps({"workload": "kernelshap", "peer": f"shap {shap.__version__} KernelExplainer", "seconds": seconds,
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "rows": args.rows, "background_rows": args.background_rows, "samples": args.samples}))
