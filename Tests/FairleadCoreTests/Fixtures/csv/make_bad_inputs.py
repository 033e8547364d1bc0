#!/usr/bin/env python3
"""Writes the bad-input corpus of the CSV reader and the error each file must give.

    python3 Tests/FairleadCoreTests/Fixtures/csv/make_bad_inputs.py

Each case is a small file under bad/ and one line of expected-errors.tsv:
file, columns asked for (`*` = all; `name:type` forces a type), then the error's
line, field number (column), column name and message ("-" = none).
Also writes the gzip fixtures (gzip/), made from fixtures/leads/leads-sample.csv.
"""
import gzip
import os

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))

CASES = [
    # name, bytes, columns, line, column, field, message
    ("empty.csv", b"", "*", 1, "-", "-", "empty file: expected a header row"),
    ("blank-header.csv", b"\n1,2\n", "*", 1, "-", "-", "the header row is empty"),
    ("duplicate-header.csv", b"a,b,a\n1,2,3\n", "*", 1, 3, "-",
     'duplicate column name "a" in the header row (fields 1 and 3)'),
    ("empty-header-name.csv", b"a,,c\n1,2,3\n", "*", 1, 2, "-",
     "empty column name in the header row (field 2)"),
    ("invalid-utf8-header.csv", b"id,sc\xc3\x28re\n1,2\n", "*", 1, 2, "-", "invalid UTF-8 in the header row"),
    ("ragged-short.csv", b"a,b,c\n1,2,3\n4,5\n", "*", 3, "-", "-", "ragged row: expected 3 fields, found 2"),
    ("ragged-long.csv", b"a,b\r\n1,2\r\n3,4,5\r\n", "*", 3, "-", "-", "ragged row: expected 2 fields, found 3"),
    ("blank-line-inside.csv", b"a,b\n1,2\n\n3,4\n", "*", 3, "-", "-", "ragged row: expected 2 fields, found 1"),
    ("unterminated-quote.csv", b'a,b\n1,"open\n2,3\n4,5\n', "*", 2, 2, "b",
     "unterminated quoted field: the quote that opens it is never closed"),
    ("stray-quote.csv", b'a,b\n1,x"y\n', "*", 2, 2, "b",
     "a quote inside an unquoted field; quote the whole field and double the quote (RFC 4180)"),
    ("after-closing-quote.csv", b'a,b\n"x"y,2\n', "*", 2, 1, "a",
     'unexpected "y" after the closing quote of a quoted field'),
    ("non-numeric.csv", b"id,score\n1,0.5\n2,n/a\n3,0.7\n", "score:numeric", 3, 2, "score",
     'expected a number, found "n/a"'),
    ("non-numeric-after-newline.csv",
     b'id,note,score\n1,"line one\nline two",0.5\n2,"x",abc\n', "score:numeric", 4, 3, "score",
     'expected a number, found "abc"'),
    ("not-boolean.csv", b"flag\n1\n0\nyes\n", "flag:boolean", 4, 1, "flag",
     'expected 0/1 or true/false, found "yes"'),
    ("invalid-utf8-value.csv", b"name,x\nok,1\nbad\xff\xfe,2\n", "*", 3, 1, "name",
     'invalid UTF-8 in "bad\\xFF\\xFE"'),
    ("invalid-utf8-number.csv", b"x\n1\n2\xff\n", "x:numeric", 3, 1, "x", 'invalid UTF-8 in "2\\xFF"'),
    # Files that are no CSV are said to be what they look like ({path}: the file's path).
    ("sqlite.db", b"SQLite format 3\x00\x10\x00\x01\x01\x00\x40\x20\x20", "*", "-", "-", "-",
     "the file looks like an SQLite database, not CSV text; export the table as CSV first, "
     "e.g. sqlite3 -header -csv {path} 'SELECT * FROM TABLE' > leads.csv"),
    ("elf.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00\"\r", "*", "-", "-", "-",
     "the file looks like an ELF executable or library, not CSV text"),
    ("book.xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00[Content_Types].xml", "*", "-", "-", "-",
     "the file looks like a zip archive (an .xlsx or .ods workbook is one), not CSV text; "
     "save the sheet as CSV (UTF-8) first, or unzip the CSV it holds"),
    ("leads.parquet", b"PAR1\x15\x04\x15\x10\x15\x14L\x15\x02\x15\x00", "*", "-", "-", "-",
     "the file looks like a Parquet file, not CSV text; export it as CSV first (with pandas, DuckDB or Spark)"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "*", "-", "-", "-", "the file looks like a PDF document, not CSV text"),
    ("leads.csv.bz2", b"BZh91AY&SY\x12\x34", "*", "-", "-", "-",
     "the file looks like bzip2-compressed data, not CSV text; decompress it first (Fairlead reads gzip, not bzip2), "
     "e.g. bunzip2 -k {path}"),
    ("nul-in-first-line.csv", b"a\x00\x01,b\n1,2\n", "*", "-", "-", "-",
     "the file looks like binary data (it holds NUL bytes, which no text file does), not CSV text"),
    # A file separated by another delimiter than the one it is read with.
    ("semicolon-ragged.csv", b"id;score;g\n1;0,5;a\n", "*", 2, "-", "-",
     'ragged row: expected 1 field, found 2; the file looks semicolon-separated: its header row is one name that '
     'splits into 3 at it, and this row into 3 fields, but it is read with "," between fields; '
     'convert it to comma-separated values first (the command line and profiles read no other delimiter; from Swift, CSVOptions.delimiter sets one)'),
    ("tab-ragged.csv", b"id\tscore\nx\t0,5\n", "*", 2, "-", "-",
     'ragged row: expected 1 field, found 2; the file looks tab-separated: its header row is one name that '
     'splits into 2 at it, and this row into 2 fields, but it is read with "," between fields; '
     'convert it to comma-separated values first (the command line and profiles read no other delimiter; from Swift, CSVOptions.delimiter sets one)'),
    ("semicolon-columns.csv", b"id;score;g\n1;0.5;a\n", "score:numeric,g", 1, "-", "-",
     'none of the columns asked for (score, g) is in this file\'s first row (1 field); the file looks '
     'semicolon-separated: its first row splits at it into 3 names, among them score, g, but it is read with "," '
     'between fields; convert it to comma-separated values first (the command line and profiles read no other delimiter; from Swift, CSVOptions.delimiter sets one)'),
    ("missing-column.csv", b"score,scope,store,region\n1,2,3,4\n", "region,scroe", 1, "-", "scroe",
     'no column "scroe"; closest: "score", "scope", "store"'),
]


def main():
    os.makedirs(os.path.join(HERE, "bad"), exist_ok=True)
    rows = ["file\tcolumns\tline\tcolumn\tfield\tmessage"]
    for name, data, columns, line, column, field, message in CASES:
        with open(os.path.join(HERE, "bad", name), "wb") as out:
            out.write(data)
        rows.append("\t".join(str(value) for value in (name, columns, line, column, field, message)))
    with open(os.path.join(HERE, "expected-errors.tsv"), "w", encoding="utf-8") as out:
        out.write("\n".join(rows) + "\n")

    os.makedirs(os.path.join(HERE, "gzip"), exist_ok=True)
    with open(os.path.join(ROOT, "fixtures", "leads", "leads-sample.csv"), "rb") as source:
        sample = source.read()
    with open(os.path.join(HERE, "gzip", "leads-sample.csv.gz"), "wb") as out:
        out.write(gzip.compress(sample, compresslevel=9, mtime=0))
    lines = sample.split(b"\n")
    first, second = b"\n".join(lines[:101]) + b"\n", b"\n".join(lines[101:201]) + b"\n"
    with open(os.path.join(HERE, "gzip", "two-members.csv.gz"), "wb") as out:
        out.write(gzip.compress(first, mtime=0) + gzip.compress(second, mtime=0))
    with open(os.path.join(HERE, "gzip", "two-members.csv"), "wb") as out:
        out.write(first + second)
    whole = gzip.compress(first, mtime=0)
    with open(os.path.join(HERE, "gzip", "truncated.csv.gz"), "wb") as out:
        out.write(whole[: len(whole) // 2])


if __name__ == "__main__":
    main()
