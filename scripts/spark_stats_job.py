"""A Spark job that runs the query `fairlead sql --dialect spark` prints, as docs/scale.md
describes for a cluster: submitted with spark-submit to any master, it reads a Parquet
table, runs the query, and writes its one small result with Spark's own CSV writer.

    spark-submit --master spark://HOST:7077 scripts/spark_stats_job.py STATS.sql LEADS.parquet OUT_DIR

OUT_DIR gets one part-00000-*.csv (with a header), which `fairlead audit --profile P
--from-stats` completes. With --write-parquet CSV the job first copies a CSV file (header,
types inferred) to LEADS.parquet, so that the executors read the copy the cluster made.
"""
import sys

from pyspark.sql import SparkSession


def main(argv):
    source = None
    if argv[:1] == ["--write-parquet"]:
        source, argv = argv[1], argv[2:]
    if len(argv) != 3:
        sys.exit(__doc__)
    query_path, parquet, out = argv
    spark = SparkSession.builder.appName("fairlead-stats").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    if source is not None:
        spark.read.csv(source, header=True, inferSchema=True).write.mode("overwrite").parquet(parquet)
    spark.read.parquet(parquet).createOrReplaceTempView("leads")
    with open(query_path, encoding="utf-8") as handle:
        query = handle.read()
    result = spark.sql(query)
    result.coalesce(1).write.mode("overwrite").option("header", True).csv(out)
    executors = spark.sparkContext._jsc.sc().getExecutorMemoryStatus().size() - 1
    print(f"spark_stats_job: Spark {spark.version}, master {spark.sparkContext.master}, "
          f"{executors} executors, {result.count()} rows of statistics written to {out}", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
