"""The synthetic rows of the `metrics` and `ranking` workloads, the same pure function of
the row index as Benchmarks/fairlead-bench/Workloads/MetricsWorkload.swift (SplitMix64 of
4i + field): a score U(0, 1), a label drawn with P(y = 1) = score, and two sensitive
attributes with 4 levels each."""
import numpy as np


def mix(x):
    with np.errstate(over="ignore"):
        z = x + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def uniform(bits):
    return (bits >> np.uint64(11)).astype(np.float64) * 2.0 ** -53


def rows(count):
    """(score, label, region, age_band) for rows 0..<count."""
    base = np.arange(count, dtype=np.uint64) * np.uint64(4)
    score = uniform(mix(base))
    region = (mix(base + np.uint64(1)) % np.uint64(4)).astype(np.int32)
    age_band = (mix(base + np.uint64(2)) % np.uint64(4)).astype(np.int32)
    label = (uniform(mix(base + np.uint64(3))) < score).astype(np.int64)
    return score, label, region, age_band
