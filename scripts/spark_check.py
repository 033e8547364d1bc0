"""The Python half of scripts/spark-check (standard library, and pyspark when run by the
script's virtual environment).

    spark_check.py WORK LEADS.csv        # Parquet copies, each WORK/NAME.sql on Spark, result-NAME-*.csv
    spark_check.py --compare A.json B.json       # all but what needs the rows
    spark_check.py --compare-all A.json B.json   # two audits from statistics: the lead queue too
"""
import csv
import json
import os
import sys

# The name the comparison's messages start with: scripts/duckdb-check sets it to its own.
NAME = os.environ.get("CHECK_NAME", "spark-check")


def run_on_spark(work, leads):
    import pyspark
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("fairlead-spark-check")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    print(f"spark-check: pyspark {pyspark.__version__}, Spark {spark.version}, local[2]", file=sys.stderr)
    queries = {name[:-4]: open(os.path.join(work, name), encoding="utf-8").read()
               for name in sorted(os.listdir(work)) if name.endswith(".sql")}
    # Two Parquet copies: every column as text, as in the file; and typed by Spark's inference.
    for name, infer in (("text", False), ("typed", True)):
        frame = spark.read.csv(leads, header=True, inferSchema=infer)
        path = os.path.join(work, f"leads-{name}.parquet")
        frame.write.mode("overwrite").parquet(path)
        spark.read.parquet(path).createOrReplaceTempView("leads")
        for query_name, query in queries.items():
            result = spark.sql(query)
            rows = result.collect()
            with open(os.path.join(work, f"result-{query_name}-{name}.csv"), "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(result.columns)
                for row in rows:
                    writer.writerow(["" if value is None else (repr(value) if isinstance(value, float) else value) for value in row])
            print(f"spark-check: {len(rows)} rows of statistics ({query_name}.sql) from Parquet ({name})", file=sys.stderr)
    spark.stop()


def differences(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            return [f"{path}: keys {sorted(set(a) ^ set(b))}"]
        return [d for key in sorted(a) for d in differences(a[key], b[key], f"{path}/{key}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return [] if abs(a - b) <= 1e-9 * max(1, abs(a)) else [f"{path}: {a} vs {b}"]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]


def compare(file_report, spark_report, everything=False):
    a, b = (json.load(open(p, encoding="utf-8")) for p in (file_report, spark_report))
    assert b["data"].get("shards"), "the audit from the engine's statistics lists no shard"
    if everything:
        assert b.get("queue"), "the audit from the engine's statistics has no lead-queue section"
    for key in ("generated_at", "data", "notes") + (() if everything else ("queue", "score_distribution")):
        a.pop(key, None)
        b.pop(key, None)
    found = differences(a, b)
    if found:
        print(f"{NAME}: the audits differ:\n  " + "\n  ".join(found[:20]), file=sys.stderr)
        sys.exit(1)
    print(f"{NAME}: {spark_report}: equal to the file's audit ({len(a['findings'])} findings, status {a['status']})", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1] in ("--compare", "--compare-all"):
        compare(sys.argv[2], sys.argv[3], everything=sys.argv[1] == "--compare-all")
    else:
        run_on_spark(sys.argv[1], sys.argv[2])
