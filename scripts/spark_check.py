"""The Python half of scripts/spark-check (standard library, and pyspark when run by the
script's virtual environment).

    spark_check.py WORK LEADS.csv        # Parquet copies, each WORK/NAME.sql on Spark, result-NAME-*.csv
    spark_check.py --compare A.json B.json       # all but what needs the rows
    spark_check.py --compare-all A.json B.json   # two audits from statistics: the lead queue too
    spark_check.py --consent-fixture WORK LEADS.csv BASE.yaml   # WORK/leads-consent.csv, WORK/consent.yaml
    spark_check.py --hostile-fixture WORK LEADS.csv    # WORK/leads-hostile.csv: scores that are not numbers to the reader

The consent fixture is LEADS.csv with a `consent` column (refusals, purpose lists in any
case, blanks and missing markers: the values ConsentFixture gives the same rows in the
Swift tests) and a profile extending BASE.yaml that reads it with
`data.consent: {column: consent, purpose: fairness_audit}`. Queries made from that profile
(`--table leads_consent`) run on a table of its own, `leads_consent`. The hostile
fixture (`leads_hostile`) holds four scores a database's cast reads but the file reader
does not; the audit from its statistics must be refused.
"""
import csv
import json
import os
import sys

# The name the comparison's messages start with: scripts/duckdb-check sets it to its own.
NAME = os.environ.get("CHECK_NAME", "spark-check")


def consent(index):
    """A lead's consent value by its position in the file, as the Swift tests give it
    (Tests/FairleadTestSupport/ConsentFixture.swift)."""
    if index % 5 == 4:
        return "marketing"
    if index % 7 == 0:
        return "Marketing | Fairness_Audit"
    if index % 11 == 3:
        return "NA"
    if index % 13 == 6:
        return " No"
    if index % 17 == 2:
        return ""
    return "TRUE" if index % 3 == 0 else "sales;fairness_audit"


def write_consent_fixture(work, leads, base):
    with open(leads, newline="", encoding="utf-8") as source, \
            open(os.path.join(work, "leads-consent.csv"), "w", newline="", encoding="utf-8") as out:
        reader = csv.reader(source)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(next(reader) + ["consent"])
        for index, row in enumerate(reader):
            writer.writerow(row + [consent(index)])
    with open(os.path.join(work, "consent.yaml"), "w", encoding="utf-8") as out:
        out.write(f"extends: {json.dumps(os.path.abspath(base))}\n"
                  "name: leads-consent\n"
                  "data:\n"
                  f"  path: {json.dumps(os.path.join(os.path.abspath(work), 'leads-consent.csv'))}\n"
                  "  consent: {column: consent, purpose: fairness_audit}\n")


# Scores the engines' casts read (Java's parseDouble takes hex and a type suffix; Spark,
# DuckDB and PostgreSQL take `nan`; Spark and DuckDB read 1e999 as infinity) but the file
# reader does not: the query must mark their rows `invalid_number`, so that the audit is
# refused as the file's would be.
HOSTILE_SCORES = {3: "0x1p-1", 10: "nan", 17: "5e-1d", 24: "1e999"}


def write_hostile_fixture(work, leads):
    with open(leads, newline="", encoding="utf-8") as source, \
            open(os.path.join(work, "leads-hostile.csv"), "w", newline="", encoding="utf-8") as out:
        reader = csv.reader(source)
        writer = csv.writer(out, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        score = header.index("score")
        for index, row in enumerate(reader):
            if index in HOSTILE_SCORES:
                row[score] = HOSTILE_SCORES[index]
            writer.writerow(row)


def tables(work, leads):
    """The tables the queries read: the leads, and the consent and hostile fixtures when
    they were made."""
    found = {"leads": leads}
    for table, name in (("leads_consent", "leads-consent.csv"), ("leads_hostile", "leads-hostile.csv")):
        fixture = os.path.join(work, name)
        if os.path.exists(fixture):
            found[table] = fixture
    return found


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
        for table, source in tables(work, leads).items():
            frame = spark.read.csv(source, header=True, inferSchema=infer)
            path = os.path.join(work, f"{table}-{name}.parquet")
            frame.write.mode("overwrite").parquet(path)
            spark.read.parquet(path).createOrReplaceTempView(table)
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
    if os.environ.get("CHECK_CONSENT"):
        # The consent fixture leaves rows out: a check that saw none left out proves nothing.
        left_out = [decision["rows"]["excluded"].get("no_consent", 0) for decision in b["decisions"].values()]
        assert all(count > 0 for count in left_out), f"{NAME}: no row was left out for want of consent ({left_out})"
    found = differences(a, b)
    if found:
        print(f"{NAME}: the audits differ:\n  " + "\n  ".join(found[:20]), file=sys.stderr)
        sys.exit(1)
    print(f"{NAME}: {spark_report}: equal to the file's audit ({len(a['findings'])} findings, status {a['status']})", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1] == "--consent-fixture":
        write_consent_fixture(*sys.argv[2:5])
    elif sys.argv[1] == "--hostile-fixture":
        write_hostile_fixture(*sys.argv[2:4])
    elif sys.argv[1] in ("--compare", "--compare-all"):
        compare(sys.argv[2], sys.argv[3], everything=sys.argv[1] == "--compare-all")
    else:
        run_on_spark(sys.argv[1], sys.argv[2])
