"""Peer of the `echo` harness self-check: numpy sums --n doubles."""
import argparse
import json
import resource
import time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--n", type=int, default=10_000_000)
args = parser.parse_args()
values = np.arange(args.n, dtype=np.float64)
start = time.perf_counter()
total = float(values.sum())
seconds = time.perf_counter() - start
print(json.dumps({"workload": "echo", "peer": f"numpy {np.__version__}", "seconds": seconds,
                  "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                  "n": args.n, "sum": total}))
