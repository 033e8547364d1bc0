"""Peer of the `treeshap` workload: path-dependent TreeSHAP of an XGBoost model on a
feature matrix, by shap's own C++ TreeSHAP (`--method shap`) or by XGBoost's
pred_contribs (`--method xgboost`), on one thread.

    treeshap.py --prepare --trees 300 --depth 6 --rows 10000 --out-dir bench-data
        trains the model on the synthetic leads (one-hot coded as in
        fixtures/models/make_goldens.py) and writes <stem>.json and <stem>-x.f64
        (int64 rows, int64 columns, then row-major float64 values)
    treeshap.py --model M.json --data X.f64 --method shap|xgboost
        times the attributions and prints one JSON object
    treeshap.py --model M.json --data X.f64 --method shap-one-lead [--leads 1000] [--top 5]
        explains one row per call and reports p50/p99 latency
"""
import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
import xgboost as xgb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_goldens_module():
    spec = importlib.util.spec_from_file_location("make_goldens", os.path.join(ROOT, "fixtures", "models", "make_goldens.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_matrix(path, x):
    with open(path, "wb") as handle:
        handle.write(np.array(x.shape, dtype="<i8").tobytes())
        handle.write(np.ascontiguousarray(x, dtype="<f8").tobytes())


def read_matrix(path):
    with open(path, "rb") as handle:
        rows, columns = np.frombuffer(handle.read(16), dtype="<i8")
        return np.frombuffer(handle.read(), dtype="<f8").reshape(rows, columns)


def prepare(args):
    stem = os.path.join(args.out_dir, f"treeshap-{args.trees}x{args.depth}-{args.rows}")
    if os.path.exists(stem + ".json") and os.path.exists(stem + "-x.f64"):
        return
    os.makedirs(args.out_dir, exist_ok=True)
    leads = os.path.join(args.out_dir, f"leads-{args.rows}.csv")
    if not os.path.exists(leads):
        subprocess.run([sys.executable, os.path.join(ROOT, "fixtures", "leads", "generate_leads.py"),
                        "--rows", str(args.rows), "--out", leads], check=True)
    x, y, names = load_goldens_module().leads_features(leads)
    # The leads' signal is weak; min_child_weight=0 and no regularization let trees reach full depth.
    params = {"objective": "binary:logistic", "max_depth": args.depth, "eta": 0.1, "seed": 7, "nthread": 2,
              "min_child_weight": 0, "lambda": 0, "gamma": 0, "max_bin": 1024}
    booster = xgb.train(params, xgb.DMatrix(x, label=y, feature_names=names), num_boost_round=args.trees)
    booster.save_model(stem + ".json")
    write_matrix(stem + "-x.f64", x)


def run(args):
    import shap
    x = read_matrix(args.data)[: args.rows] if args.rows else read_matrix(args.data)
    booster = xgb.Booster(model_file=args.model)
    booster.set_param({"nthread": 1})
    if args.method == "xgboost":
        matrix = xgb.DMatrix(x, nthread=1)
        start, cpu_start = time.perf_counter(), time.process_time()
        booster.predict(matrix, pred_contribs=True, validate_features=False)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        peer = f"xgboost {xgb.__version__} pred_contribs nthread=1"
    elif args.method == "shap-one-lead":
        explainer = shap.TreeExplainer(booster, feature_perturbation="tree_path_dependent")
        explainer.model.model_type = "internal"
        latencies = []
        start = time.perf_counter()
        for lead in range(args.leads):
            row = x[lead % len(x): lead % len(x) + 1]
            began = time.perf_counter()
            values = explainer.shap_values(row, check_additivity=False)[0]
            np.argsort(-np.abs(values))[: args.top]
            latencies.append(time.perf_counter() - began)
        seconds = time.perf_counter() - start
        latencies.sort()
        print(json.dumps({"workload": "treeshap-one-lead", "peer": f"shap {shap.__version__} C++ TreeSHAP, one row per call",
                          "seconds": seconds,
                          "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                          "leads": args.leads, "p50_ms": latencies[len(latencies) // 2] * 1000,
                          "p99_ms": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000}))
        return
    else:
        explainer = shap.TreeExplainer(booster, feature_perturbation="tree_path_dependent")
        # shap hands xgboost models to pred_contribs; "internal" runs shap's own C++ TreeSHAP.
        explainer.model.model_type = "internal"
        start, cpu_start = time.perf_counter(), time.process_time()
        explainer.shap_values(x, check_additivity=False)
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        peer = f"shap {shap.__version__} C++ TreeSHAP"
    print(json.dumps({"workload": "treeshap", "peer": peer, "seconds": seconds,
                      "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      "rows": len(x), "rows_per_second": len(x) / seconds, "cpu_seconds": cpu_seconds}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--trees", type=int, default=300)
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--rows", type=int, default=0)
    parser.add_argument("--out-dir", default=os.path.join(ROOT, "bench-data"))
    parser.add_argument("--model")
    parser.add_argument("--data")
    parser.add_argument("--method", choices=["shap", "xgboost", "shap-one-lead"], default="shap")
    parser.add_argument("--leads", type=int, default=1000)
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    if args.prepare:
        prepare(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
