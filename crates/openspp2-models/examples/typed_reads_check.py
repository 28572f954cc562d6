"""Compares the typed reads of `cargo run -p openspp2-models --all-features --example
typed_reads` with Python's raw JSON-2 answers on the same server, value by value: for each
record the example printed, `read` of the same ids and fields over `/json/2/<model>/read` with
the API key as bearer token, nothing normalised (the example prints each typed value in the
shape Odoo sends it).

    export ODOO_API_KEY=...
    cargo run -p openspp2-models --all-features --example typed_reads -- URL DB LOGIN > rust.jsonl
    python3 typed_reads_check.py URL DB rust.jsonl

Prints the number of models, records and values compared and each mismatch; exit status 0
when there is none. Standard library only.
"""
import json
import os
import sys
import urllib.request
from collections import defaultdict

url, db, rust_file = sys.argv[1:4]
key = os.environ["ODOO_API_KEY"]


def call(model, method, body):
    request = urllib.request.Request(
        f"{url}/json/2/{model}/{method}",
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"bearer {key}",
            "X-Odoo-Database": db,
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


typed = defaultdict(dict)
with open(rust_file) as lines:
    for line in lines:
        row = json.loads(line)
        typed[row["model"]][row["id"]] = row["values"]

models = records = values = 0
mismatches = []
for model, rows in sorted(typed.items()):
    ids = sorted(rows)
    fields = sorted(next(iter(rows.values())))
    raw = {r["id"]: r for r in call(model, "read", {"ids": ids, "fields": fields})}
    models += 1
    for id_ in ids:
        records += 1
        if id_ not in raw:
            mismatches.append((model, id_, "*", "typed read it", "raw read did not"))
            continue
        for field in fields:
            values += 1
            mine, theirs = rows[id_][field], raw[id_].get(field, "<missing>")
            if mine != theirs:
                mismatches.append((model, id_, field, mine, theirs))

print(f"compared {values} values of {records} records of {models} models: {len(mismatches)} mismatches")
for model, id_, field, mine, theirs in mismatches:
    print(f"  {model}[{id_}].{field}: typed {json.dumps(mine)[:200]} raw {json.dumps(theirs)[:200]}")
sys.exit(1 if mismatches else 0)
