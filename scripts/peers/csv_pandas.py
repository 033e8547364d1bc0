"""Peer of the `csv` workload: pandas.read_csv (default C engine) on the same file and columns."""
import argparse
import json
import resource
import time

import pandas as pd

parser = argparse.ArgumentParser()
parser.add_argument("--file", required=True)
parser.add_argument("--columns", default="all", help="all, or names separated by commas")
args = parser.parse_args()
usecols = None if args.columns == "all" else args.columns.split(",")
rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
start = time.perf_counter()
cpu_start = time.process_time()
frame = pd.read_csv(args.file, usecols=usecols)
seconds = time.perf_counter() - start
cpu_seconds = time.process_time() - cpu_start
print(json.dumps({"workload": "csv", "peer": f"pandas {pd.__version__}", "seconds": seconds, "cpu_seconds": cpu_seconds,
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "rss_before_bytes": rss_before,
                  "frame_bytes": int(frame.memory_usage(deep=True).sum()),
                  "rows": len(frame), "columns": frame.shape[1]}))
