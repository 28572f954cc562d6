#!/usr/bin/env python3
"""Side-by-side: one typed `search_read` of every active partner with
name, email, country_id, category_id, by openspp-client (the `peer_search_read` example) and by
Python's xmlrpc.client, odooly 2.6.7 and OdooRPC 0.10.1, each logged in once, RUNS interleaved
runs; prints the medians of wall time and client CPU (user + system of the client's process
over the call) and our ratios to the fastest / thriftiest peer.

    python3 -m venv target/peers-venv
    target/peers-venv/bin/pip install -r crates/client/benches/peers/requirements.txt
    cargo build --release -p openspp-client --example peer_search_read
    ODOO_PASSWORD=admin target/peers-venv/bin/python crates/client/benches/peers/peers.py \\
        --url http://127.0.0.1:8069 --db openspp --user admin --secret password
    ODOO_API_KEY=... ODOO_PASSWORD=admin target/peers-venv/bin/python crates/client/benches/peers/peers.py \\
        --url http://127.0.0.1:8070 --secret api-key

With `--plain` openspp-client gets the secret as a plain string, as the README's code passes
it, and tells a password from an API key by its shape. With `--secret api-key` every client is given the API key (ODOO_API_KEY) except OdooRPC,
which logs in only through a web session and so needs the password (ODOO_PASSWORD).
Only for loopback servers you run yourself.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path
from urllib.parse import urlparse

FIELDS = ["name", "email", "country_id", "category_id"]
DOMAIN = [["active", "=", True]]


def measure(call):
    """Wall and CPU milliseconds of one call made in this process, and its row count."""
    wall, cpu = time.perf_counter(), time.process_time()
    rows = call()
    return (time.perf_counter() - wall) * 1e3, (time.process_time() - cpu) * 1e3, len(rows)


class Ours:
    name = "openspp-client"

    def __init__(self, args, binary):
        env = dict(os.environ)
        flag = "--password-env" if args.secret == "password" else "--api-key-env"
        if args.plain:
            flag = "--secret-env"
        var = "ODOO_PASSWORD" if args.secret == "password" else "ODOO_API_KEY"
        command = [binary, "--url", args.url, "--db", args.db, "--user", args.user,
                   flag, var, "--protocol", args.protocol]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env)
        ready = self.proc.stdout.readline().split()
        if not ready or ready[0] != "ready":
            sys.exit(f"openspp-client did not log in: {ready}")
        self.name = f"openspp-client ({ready[1]})"

    def run(self):
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        wall, cpu, rows = self.proc.stdout.readline().split()
        return float(wall), float(cpu), int(rows)


class XmlRpcClient:
    name = "xmlrpc.client"

    def __init__(self, args, secret):
        common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common")
        self.uid = common.authenticate(args.db, args.user, secret, {})
        self.models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object")
        self.args, self.secret = args, secret

    def run(self):
        return measure(lambda: self.models.execute_kw(
            self.args.db, self.uid, self.secret, "res.partner", "search_read",
            [DOMAIN], {"fields": FIELDS}))


class Odooly:
    name = "odooly 2.6.7"

    def __init__(self, args, secret):
        import odooly
        kw = {"password": secret} if args.secret == "password" else {"api_key": secret}
        self.client = odooly.Client(args.url, args.db, args.user, **kw)
        self.partners = self.client.env["res.partner"]

    def run(self):
        return measure(lambda: self.partners.search_read(DOMAIN, FIELDS))


class OdooRpc:
    name = "OdooRPC 0.10.1"

    def __init__(self, args, password):
        import odoorpc
        url = urlparse(args.url)
        protocol = "jsonrpc+ssl" if url.scheme == "https" else "jsonrpc"
        self.odoo = odoorpc.ODOO(url.hostname, protocol=protocol,
                                 port=url.port or (443 if url.scheme == "https" else 80))
        self.odoo.login(args.db, args.user, password)

    def run(self):
        return measure(lambda: self.odoo.execute_kw(
            "res.partner", "search_read", [DOMAIN], {"fields": FIELDS}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", default="openspp")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--secret", choices=["password", "api-key"], default="password")
    parser.add_argument("--protocol", default="auto", help="openspp-client's --protocol")
    parser.add_argument("--plain", action="store_true",
                        help="give openspp-client the secret as a plain string (its default "
                             "use), not said to be a password or an API key")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--binary", default=None,
                        help="the peer_search_read example (default: target/release)")
    args = parser.parse_args()
    target = os.environ.get("CARGO_TARGET_DIR",
                            Path(__file__).resolve().parents[4] / "target")
    binary = args.binary or str(Path(target) / "release" / "examples" / "peer_search_read")
    password = os.environ.get("ODOO_PASSWORD")
    secret = password if args.secret == "password" else os.environ.get("ODOO_API_KEY")
    if not secret or not password:
        sys.exit("set ODOO_PASSWORD (and ODOO_API_KEY with --secret api-key)")

    clients = [Ours(args, binary), XmlRpcClient(args, secret), Odooly(args, secret),
               OdooRpc(args, password)]
    for client in clients:  # one warm-up call each (connections, caches)
        client.run()
    samples = {client.name: [] for client in clients}
    rows = set()
    for _ in range(args.runs):
        for client in clients:
            wall, cpu, n = client.run()
            samples[client.name].append((wall, cpu))
            rows.add(n)
    if len(rows) != 1:
        sys.exit(f"the clients disagree on the row count: {rows}")
    print(f"{args.url}, {args.secret}, {rows.pop()} rows, median of {args.runs} interleaved runs")
    print(f"{'client':<28} {'wall ms':>9} {'cpu ms':>8}")
    medians = {}
    for name, runs in samples.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        medians[name] = (wall, cpu)
        print(f"{name:<28} {wall:>9.1f} {cpu:>8.1f}")
    ours = medians[clients[0].name]
    peers = [medians[c.name] for c in clients[1:]]
    fastest = min(w for w, _ in peers)
    thriftiest = min(c for _, c in peers)
    print(f"ours / fastest peer wall: {ours[0] / fastest:.2f}x (target <= 0.8x); "
          f"ours / thriftiest peer CPU: {ours[1] / thriftiest:.2f}x (target <= 0.5x)")


if __name__ == "__main__":
    main()
