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
     'invalid UTF-8 in "bad\ufffd\ufffd"'),
    ("invalid-utf8-number.csv", b"x\n1\n2\xff\n", "x:numeric", 3, 1, "x", 'invalid UTF-8 in "2\ufffd"'),
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
