"""Peer of the `explain` workload: reason codes for every lead of a CSV file the way a
Python user would make them — pandas reads the file, the features are one-hot coded,
shap's TreeExplainer (path-dependent; shap hands XGBoost models to XGBoost's own
pred_contribs) attributes every lead, one-hot columns are summed per source column and
numpy picks each lead's top N raising and lowering sources, skipping the withheld ones.
No sentences are written (Fairlead writes them, and a CSV of them).

    explain.py --prepare --trees 200 --depth 4 --out-dir bench-data
        trains an XGBoost model on the first 50,000 leads of bench-data/leads-1000000.csv
        (soft labels: the score column), with the features of the bundled explanation
        model (fixtures/explanations/make_goldens.py), and writes
        bench-data/explain-<trees>x<depth>.json
    explain.py --model M.json --data leads.csv [--threads 2] [--top 3]
        times the whole pass and prints one JSON object
"""
import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def goldens_module():
    spec = importlib.util.spec_from_file_location(
        "explanation_goldens", os.path.join(ROOT, "fixtures", "explanations", "make_goldens.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(path, rows=None):
    import pandas as pd
    goldens = goldens_module()
    columns = ["lead_id"] + list(goldens.CATEGORICAL) + goldens.NUMERIC + ["score"]
    frame = pd.read_csv(path, usecols=columns, nrows=rows, keep_default_na=False,
                        na_values=["", "NA", "NaN", "null"], dtype={"postal_area": str})
    x, names, sources = goldens.features(frame)
    return frame, x, names, sources


def prepare(args):
    import xgboost as xgb
    path = os.path.join(args.out_dir, f"explain-{args.trees}x{args.depth}.json")
    if os.path.exists(path):
        return
    leads = os.path.join(args.out_dir, "leads-1000000.csv")
    if not os.path.exists(leads):
        subprocess.run([sys.executable, os.path.join(ROOT, "fixtures", "leads", "generate_leads.py"),
                        "--rows", "1000000", "--out", leads], check=True)
    frame, x, names, _ = read(leads, rows=50_000)
    params = {"objective": "binary:logistic", "max_depth": args.depth, "eta": 0.1, "seed": 7, "nthread": 2,
              "subsample": 0.9, "colsample_bytree": 0.9}
    booster = xgb.train(params, xgb.DMatrix(x, label=frame["score"].to_numpy(), feature_names=names, missing=float("nan")),
                        num_boost_round=args.trees)
    booster.save_model(path)


def run(args):
    import numpy as np
    import shap
    import xgboost as xgb
    start, cpu_start = time.perf_counter(), time.process_time()
    frame, x, names, sources = read(args.data)
    read_seconds = time.perf_counter() - start
    booster = xgb.Booster(model_file=args.model)
    booster.set_param({"nthread": args.threads})
    explainer = shap.TreeExplainer(booster, feature_perturbation="tree_path_dependent")
    shap_start = time.perf_counter()
    values = explainer.shap_values(x, check_additivity=False)
    shap_seconds = time.perf_counter() - shap_start
    source_names = list(dict.fromkeys(sources))
    grouping = np.zeros((len(sources), len(source_names)))
    for feature, source in enumerate(sources):
        grouping[feature, source_names.index(source)] = 1
    grouped = values @ grouping
    withheld = [source_names.index(name) for name in ("postal_area", "age_band")]
    shown = grouped.copy()
    shown[:, withheld] = 0
    order = np.argsort(-shown, axis=1, kind="stable")
    raising = np.where(np.take_along_axis(shown, order[:, :args.top], axis=1) > 0, order[:, :args.top], -1)
    order_low = np.argsort(shown, axis=1, kind="stable")
    lowering = np.where(np.take_along_axis(shown, order_low[:, :args.top], axis=1) < 0, order_low[:, :args.top], -1)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    print(json.dumps({"workload": "explain", "peer": f"pandas + shap {shap.__version__} TreeExplainer (xgboost {xgb.__version__} pred_contribs, nthread={args.threads}) + numpy top-{args.top}",
                      "seconds": seconds, "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "leads": len(x), "rows_per_second": len(x) / seconds, "cpu_seconds": cpu_seconds,
                      "read_seconds": read_seconds, "shap_seconds": shap_seconds,
                      "check": int(raising[0, 0] + lowering[0, 0])}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--trees", type=int, default=200)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--out-dir", default=os.path.join(ROOT, "bench-data"))
    parser.add_argument("--model")
    parser.add_argument("--data")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--top", type=int, default=3)
    args = parser.parse_args()
    if args.prepare:
        prepare(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
