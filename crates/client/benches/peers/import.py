#!/usr/bin/env python3
"""Importing registrants into a real OpenSPP 17 server, in one run: HOUSEHOLDS households of
MEMBERS members each (1 000 registrants and 750 memberships by default) through our
`Repository::import` (the `import_bench` example: Odoo's `load`, BATCH rows per call,
CONCURRENCY calls in flight, by external id), then the same import again (it must create
nothing), against a Python loop of one `create` per registrant and per membership through
odooly 2.6.7 (pinned in `requirements.txt`), which takes the web session's
`/web/dataset/call_kw` as ours does with a password. Prints the wall times of the imports alone
(after the logins), registrants and memberships apart, and our ratio.

BATCH is 100, the client's default: on OpenSPP 17 a registrant costs the server some 80 ms
however it is sent (`spp_audit_log` reads every field of each record it writes), so 500 rows
outlast the client's 120 s call timeout. CONCURRENCY is 2: a server with several workers
(`workers = 2` or more, as Odoo runs in production) then works on two batches at once; a
threaded one (`workers = 0`) gains less.

    python3 -m venv target/peers-venv
    target/peers-venv/bin/pip install -r crates/client/benches/peers/requirements.txt
    cargo build --release -p openspp-devserver --example import_bench
    ODOO_PASSWORD=admin target/peers-venv/bin/python crates/client/benches/peers/import.py \\
        --url http://127.0.0.1:8069 --db openspp --user admin

Every record it makes has an external id of module PREFIX (`bench_import`; ours) or a name
starting with the run's tag (the loop's); at the end it deletes them all (memberships first)
and checks that none is left. `--keep` leaves them; `--cleanup` only deletes what an earlier
run left under PREFIX. With `--secret api-key` (ODOO_API_KEY) both sides get the API key.
Only for servers you run yourself: it writes 3 500 records.
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import odooly

RESULT = re.compile(
    r"^imported ([\d.]+) ms registrants (\d+) (\d+) (\d+) memberships (\d+) (\d+) (\d+)$", re.M)
TOOK = re.compile(r"^took ([\d.]+) ms registrants ([\d.]+) ms memberships$", re.M)


def registrants(prefix, tag, households, members):
    """The CSV rows of the `import` example: each household, then its members."""
    rows = []
    for h in range(1, households + 1):
        household = f"{prefix}.hh_{h:04d}"
        rows.append({"external_id": household, "name": f"{tag} household {h}", "is_group": "1",
                     "household": "", "birthdate": "", "phone": f"+32 2 555 {h:04d}",
                     "country": "base.be"})
        for m in range(1, members + 1):
            rows.append({"external_id": f"{prefix}.ind_{h:04d}_{m}",
                         "name": f"{tag} member {h}.{m}", "is_group": "0",
                         "household": household,
                         "birthdate": f"{1950 + (h * 7 + m) % 60}-{1 + m % 12:02d}-{1 + h % 28:02d}",
                         "phone": "", "country": "base.be"})
    return rows


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def ours(args, csv_path, env):
    """One run of the `import_bench` example: (ms, registrants (c, u, n), memberships (c, u, n),
    (registrants ms, memberships ms))."""
    command = [args.binary, "--csv", str(csv_path), "--url", args.url, "--db", args.db,
               "--user", args.user, "--batch", str(args.batch),
               "--concurrency", str(args.concurrency)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    match = RESULT.search(done.stdout)
    took = TOOK.search(done.stdout)
    if done.returncode != 0 or not match or not took:
        sys.exit(f"import_bench failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    problems = [line for line in done.stdout.splitlines() if line.startswith("  ")]
    if problems:
        print("\n".join(problems[:10]))
    numbers = [int(n) for n in match.groups()[1:]]
    return (float(match.group(1)), tuple(numbers[:3]), tuple(numbers[3:]),
            (float(took.group(1)), float(took.group(2))))


def loop(client, rows):
    """One `create` per registrant and per membership: the wall ms, the ids made, and the ms
    spent on registrants and on memberships."""
    partners = client.env["res.partner"]
    memberships = client.env["g2p.group.membership"]
    country = client.env.ref("base.be").id
    made = {"res.partner": [], "g2p.group.membership": []}
    by_xmlid = {}
    spent = [0.0, 0.0]
    started = time.perf_counter()
    for row in rows:
        values = {"name": row["name"], "is_registrant": True, "is_group": row["is_group"] == "1",
                  "country_id": country}
        if row["birthdate"]:
            values["birthdate"] = row["birthdate"]
        if row["phone"]:
            values["phone"] = row["phone"]
        t = time.perf_counter()
        record = partners.create(values)
        spent[0] += time.perf_counter() - t
        by_xmlid[row["external_id"]] = record.id
        made["res.partner"].append(record.id)
        if row["household"]:
            t = time.perf_counter()
            membership = memberships.create({"group": by_xmlid[row["household"]],
                                             "individual": record.id})
            spent[1] += time.perf_counter() - t
            made["g2p.group.membership"].append(membership.id)
    return (time.perf_counter() - started) * 1e3, made, (spent[0] * 1e3, spent[1] * 1e3)


def delete(client, model, ids):
    """Unlinks `ids` of `model`, in chunks; OpenSPP's res.partner.unlink answers nothing, which
    a client may take for an error, so what is left is counted afterwards."""
    for start in range(0, len(ids), 200):
        chunk = ids[start:start + 200]
        try:
            client.env.execute(model, "unlink", chunk)
        except Exception as error:  # counted below
            print(f"  {model}.unlink answered: {str(error).splitlines()[-1][:120]}")
    left = client.env.execute(model, "search_count", [["id", "in", ids]],
                          context={"active_test": False}) if ids else 0
    return left


def cleanup_prefix(client, prefix):
    """Deletes every record with an external id of module `prefix`, then the ids."""
    data = client.env.execute("ir.model.data", "search_read", [["module", "=", prefix]],
                          ["model", "res_id"])
    left = 0
    for model in ["g2p.group.membership", "res.partner"]:
        ids = sorted({d["res_id"] for d in data if d["model"] == model})
        if ids:
            left += delete(client, model, ids)
    stale = client.env.execute("ir.model.data", "search", [["module", "=", prefix]])
    if stale:
        client.env.execute("ir.model.data", "unlink", stale)
    return left + client.env.execute("ir.model.data", "search_count", [["module", "=", prefix]])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", default="openspp")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--secret", choices=["password", "api-key"], default="password")
    parser.add_argument("--households", type=int, default=250)
    parser.add_argument("--members", type=int, default=3)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--concurrency", type=int, default=2,
                        help="load calls of ours in flight at once")
    parser.add_argument("--prefix", default="bench_import")
    parser.add_argument("--binary", default="target/release/examples/import_bench")
    parser.add_argument("--keep", action="store_true", help="leave the records")
    parser.add_argument("--cleanup", action="store_true", help="only delete PREFIX's records")
    args = parser.parse_args()

    var = "ODOO_PASSWORD" if args.secret == "password" else "ODOO_API_KEY"
    secret = os.environ.get(var) or sys.exit(f"the secret goes in {var}")
    env = {k: v for k, v in os.environ.items() if k not in ("ODOO_PASSWORD", "ODOO_API_KEY")}
    env[var] = secret
    kw = {"password": secret} if args.secret == "password" else {"api_key": secret}
    client = odooly.Client(args.url, args.db, args.user, **kw)
    if args.cleanup:
        print(f"left under {args.prefix}: {cleanup_prefix(client, args.prefix)}")
        return
    if client.env.execute("ir.model.data", "search_count", [["module", "=", args.prefix]]):
        sys.exit(f"records of an earlier run are under {args.prefix}: run with --cleanup first")

    tag = f"Bench{int(time.time())}"
    rows = registrants(args.prefix, tag, args.households, args.members)
    people = len(rows)
    links = args.households * args.members
    named = [["name", "=like", f"{tag} %"]]
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "registrants.csv"
        write_csv(csv_path, rows)
        print(f"{people} registrants ({args.households} households) and {links} memberships, "
              f"{args.url} db {args.db}")
        first_ms, first_reg, first_mem, first_took = ours(args, csv_path, env)
        count_before = client.env.execute("res.partner", "search_count", named)
        again_ms, again_reg, again_mem, again_took = ours(args, csv_path, env)
        count_after = client.env.execute("res.partner", "search_count", named)

    loop_tag = f"Loop{tag}"
    loop_rows = [dict(r, name=r["name"].replace(tag, loop_tag)) for r in rows]
    loop_ms, made, loop_took = loop(client, loop_rows)

    ours_label = f"openspp-client import ({args.batch} rows per load, {args.concurrency} at once)"
    width = len(ours_label)
    print(f"{ours_label}: {first_ms:9.0f} ms (registrants {first_took[0]:.0f}, memberships "
          f"{first_took[1]:.0f})  created/updated/not imported: registrants {first_reg}, "
          f"memberships {first_mem}")
    print(f"{'openspp-client again':{width}}: {again_ms:9.0f} ms (registrants {again_took[0]:.0f}, "
          f"memberships {again_took[1]:.0f})  registrants {again_reg}, memberships {again_mem}; "
          f"partners named {tag}: {count_before} before, {count_after} after")
    print(f"{'odooly loop of create':{width}}: {loop_ms:9.0f} ms (registrants {loop_took[0]:.0f}, "
          f"memberships {loop_took[1]:.0f})  {len(made['res.partner'])} partners, "
          f"{len(made['g2p.group.membership'])} memberships "
          f"({len(made['res.partner']) + len(made['g2p.group.membership'])} calls)")
    print(f"ratio loop / ours: {loop_ms / first_ms:.2f}x (first import), "
          f"{loop_ms / again_ms:.2f}x (again)")
    ok = (first_reg == (people, 0, 0) and first_mem == (links, 0, 0)
          and again_reg == (0, people, 0) and again_mem == (0, links, 0)
          and count_before == count_after == people)
    print("rerun created nothing" if ok else "UNEXPECTED COUNTS (see above)")

    if args.keep:
        print(f"kept: rerun with --cleanup to delete {args.prefix}'s records; the loop's are "
              f"named {loop_tag} …")
        return
    left = delete(client, "g2p.group.membership", made["g2p.group.membership"])
    left += delete(client, "res.partner", made["res.partner"])
    left += cleanup_prefix(client, args.prefix)
    left += client.env.execute("res.partner", "search_count",
                           [["name", "=like", f"%{tag} %"]], context={"active_test": False})
    print(f"deleted; records left: {left}")
    if not ok or left:
        sys.exit(1)


if __name__ == "__main__":
    main()
