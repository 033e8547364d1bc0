"""The Python half of scripts/duckdb-check, run by its virtual environment (duckdb from PyPI).

    duckdb_check.py WORK LEADS.csv

Loads LEADS.csv into two in-memory DuckDB tables named leads — typed by DuckDB's CSV
sniffer, and every column as text — (and WORK/leads-consent.csv, when spark_check.py made
it, as leads_consent) runs each WORK/NAME.sql on each, and writes
WORK/result-NAME-{typed,text}.csv (a header, missing values empty, doubles in full).
"""
import csv
import os
import sys

import duckdb

from spark_check import tables


def main(work, leads):
    con = duckdb.connect()
    print(f"duckdb-check: duckdb {duckdb.__version__}", file=sys.stderr)
    queries = {name[:-4]: open(os.path.join(work, name), encoding="utf-8").read()
               for name in sorted(os.listdir(work)) if name.endswith(".sql")}
    for name, text_only in (("typed", False), ("text", True)):
        for table, source in tables(work, leads).items():
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_csv(?, header = true, all_varchar = ?)",
                        [source, text_only])
        types = {row[0]: row[1] for row in con.execute("DESCRIBE leads").fetchall()}
        if not text_only and set(types.values()) == {"VARCHAR"}:
            sys.exit("duckdb-check: the typed table has no typed column")
        for query_name, query in queries.items():
            result = con.execute(query)
            columns = [column[0] for column in result.description]
            rows = result.fetchall()
            with open(os.path.join(work, f"result-{query_name}-{name}.csv"), "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(columns)
                for row in rows:
                    writer.writerow(["" if value is None else (repr(value) if isinstance(value, float) else value) for value in row])
            print(f"duckdb-check: {len(rows)} rows of statistics ({query_name}.sql) from the {name} table "
                  f"({sum(t != 'VARCHAR' for t in types.values())} typed columns)", file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
