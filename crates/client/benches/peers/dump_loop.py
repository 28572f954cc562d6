#!/usr/bin/env python3
"""The baseline `cargo xtask dump` is measured against: a plain sequential loop of
`fields_get()` + `default_get(<every field>)` over XML-RPC for every model of `ir.model`,
with Python's xmlrpc.client, logged in once. Prints the wall time; faults (a model XML-RPC
cannot marshal) are counted, not fatal.

    ODOO_PASSWORD=admin python3 crates/client/benches/peers/dump_loop.py \\
        --url http://127.0.0.1:8069 --db openspp --user admin

Only for loopback servers you run yourself.
"""

import argparse
import os
import sys
import time
import xmlrpc.client


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", default="openspp")
    parser.add_argument("--user", default="admin")
    args = parser.parse_args()
    secret = os.environ.get("ODOO_PASSWORD") or os.environ.get("ODOO_API_KEY")
    if not secret:
        sys.exit("set ODOO_PASSWORD or ODOO_API_KEY")
    started = time.perf_counter()
    common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common")
    uid = common.authenticate(args.db, args.user, secret, {})
    models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object")

    def call(model, method, *params):
        return models.execute_kw(args.db, uid, secret, model, method, list(params))

    names = [m["model"] for m in call("ir.model", "search_read", [], ["model"])]
    faults = 0
    for model in names:
        try:
            fields = call(model, "fields_get")
        except xmlrpc.client.Fault:
            faults += 1
            continue
        try:
            call(model, "default_get", list(fields))
        except xmlrpc.client.Fault:
            faults += 1
    elapsed = time.perf_counter() - started
    print(f"{len(names)} models, fields_get + default_get over XML-RPC, sequential: "
          f"{elapsed:.1f} s ({faults} faults)")


if __name__ == "__main__":
    main()
