#!/usr/bin/env python3
"""What each way of asking the server costs for the same rows: the typed `search_read` of
`peers.py` (every active partner with name, email, country_id, category_id), asked in every
form the server offers, each checked to give the very rows of the plain `search_read`:

    search_read            the one call every client makes (ours, odooly, OdooRPC)
    search_read load=''    many2one ids only, then one `read` of the distinct co-records'
                           display_name (the per-row display_name is the costly part)
    web_search_read        the web client's call, many2one display_name by specification
    search + read load=''  ids, then a read without display_name, then the names
    pages xK               search_count, then K `search_read` pages at once (threads)
    trivial call           `res.users.context_get`: the fixed cost of one request

With a password it logs in once with `/web/session/authenticate` and calls
`/web/dataset/call_kw` (the path `Protocol::Auto` takes); with `--secret api-key`
(ODOO_API_KEY) it calls JSON-2 (`/json/2`, Odoo 19+). RUNS interleaved runs, medians.
With `--server-log` (the server's log file, log level info) it also prints the server's own
account of each request: queries, SQL ms and the remaining (Python) ms, from werkzeug's access
line. Standard library only:

    ODOO_PASSWORD=admin python3 crates/client/benches/peers/server_paths.py \\
        --url http://127.0.0.1:8069 --db openspp --server-log ~/odoo-real/server.log
    ODOO_API_KEY=$(cat ~/odoo19-real/apikey.txt) python3 crates/client/benches/peers/server_paths.py \\
        --url http://127.0.0.1:8070 --db openspp --secret api-key --server-log ~/odoo19-real/server.log

A form the server refuses (OpenSPP 17's `res.partner.search_read` takes no `load`) is
reported with the server's message and left out. Only for loopback servers you run yourself.
"""

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

FIELDS = ["name", "email", "country_id", "category_id"]
DOMAIN = [["active", "=", True]]
MODEL = "res.partner"
# werkzeug's access line, as Odoo logs it: ... "POST /path HTTP/1.1" 200 - <queries> <sql s> <python s>
ACCESS = re.compile(r'"POST (\S+) HTTP/1\.1" \d+ - (\d+) ([\d.]+) ([\d.]+)')


class Refused(Exception):
    """The server answered the call with an error."""


class Web:
    """A web session: `/web/session/authenticate`, then `/web/dataset/call_kw`."""

    def __init__(self, url, db, user, password):
        self.url = url
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        uid = self._post("/web/session/authenticate",
                         {"db": db, "login": user, "password": password})["uid"]
        if not uid:
            sys.exit("login refused")

    def _post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1})
        request = urllib.request.Request(self.url + path, body.encode(),
                                         {"Content-Type": "application/json"})
        answer = json.loads(self.opener.open(request).read())
        if "error" in answer:
            raise Refused(answer["error"]["data"]["message"])
        return answer["result"]

    def call(self, model, method, args, kwargs):
        return self._post(f"/web/dataset/call_kw/{model}/{method}",
                          {"model": model, "method": method, "args": args, "kwargs": kwargs})


class Json2:
    """Odoo 19's JSON-2 with an API key: named arguments only."""

    NAMES = {"search_read": ["domain"], "web_search_read": ["domain", "specification"],
             "search": ["domain"], "search_count": ["domain"], "read": ["ids", "fields"],
             "context_get": []}

    def __init__(self, url, db, key):
        self.url = url
        self.headers = {"Content-Type": "application/json", "Authorization": f"bearer {key}",
                        "X-Odoo-Database": db}
        self.opener = urllib.request.build_opener()

    def call(self, model, method, args, kwargs):
        named = dict(zip(self.NAMES[method], args), **kwargs)
        request = urllib.request.Request(f"{self.url}/json/2/{model}/{method}",
                                         json.dumps(named).encode(), self.headers)
        try:
            return json.loads(self.opener.open(request).read())
        except urllib.error.HTTPError as error:
            raise Refused(json.loads(error.read()).get("message")) from None


def with_names(server, rows):
    """Puts each many2one's (id, display_name) back, from one read per co-model."""
    ids = sorted({row["country_id"] for row in rows if row["country_id"]})
    names = {r["id"]: r["display_name"]
             for r in server.call("res.country", "read", [ids, ["display_name"]], {})}
    for row in rows:
        if row["country_id"]:
            row["country_id"] = [row["country_id"], names[row["country_id"]]]
    return rows


def forms(server, pool, pages):
    def plain():
        return server.call(MODEL, "search_read", [DOMAIN], {"fields": FIELDS})

    def no_display_name():
        return with_names(server, server.call(MODEL, "search_read", [DOMAIN],
                                              {"fields": FIELDS, "load": ""}))

    def web_search_read():
        spec = {name: {} for name in FIELDS}
        spec["country_id"] = {"fields": {"display_name": {}}}
        rows = server.call(MODEL, "web_search_read", [DOMAIN, spec], {})["records"]
        for row in rows:
            if row["country_id"]:
                row["country_id"] = [row["country_id"]["id"], row["country_id"]["display_name"]]
        return rows

    def search_then_read():
        ids = server.call(MODEL, "search", [DOMAIN], {})
        return with_names(server, server.call(MODEL, "read", [ids, FIELDS], {"load": ""}))

    def concurrent_pages():
        count = server.call(MODEL, "search_count", [DOMAIN], {})
        size = -(-count // pages)
        futures = [pool.submit(server.call, MODEL, "search_read", [DOMAIN],
                               {"fields": FIELDS, "offset": i * size, "limit": size})
                   for i in range(pages)]
        return [row for future in futures for row in future.result()]

    def trivial():
        server.call("res.users", "context_get", [], {})
        return None

    return {"search_read": plain, "search_read load=''": no_display_name,
            "web_search_read": web_search_read, "search + read load=''": search_then_read,
            f"pages x{pages}": concurrent_pages, "trivial call": trivial}


def server_account(log, start):
    """Queries, SQL ms and Python ms of the requests logged after byte `start`."""
    with open(log, "rb") as f:
        f.seek(start)
        lines = f.read().decode(errors="replace").splitlines()
    requests = [m.groups() for m in map(ACCESS.search, lines) if m]
    return [(path, int(q), float(sql) * 1e3, float(py) * 1e3) for path, q, sql, py in requests]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="openspp")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--secret", choices=["password", "api-key"], default="password")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--pages", type=int, default=2)
    parser.add_argument("--server-log", help="the server's log file, to read its own timings")
    args = parser.parse_args()

    if args.secret == "password":
        server = Web(args.url, args.db, args.user, os.environ["ODOO_PASSWORD"])
    else:
        server = Json2(args.url, args.db, os.environ["ODOO_API_KEY"])
    pool = ThreadPoolExecutor(args.pages)
    candidates = forms(server, pool, args.pages)
    reference = sorted(candidates["search_read"](), key=lambda row: row["id"])
    for name in list(candidates):
        try:
            rows = candidates[name]()
        except Refused as refused:
            print(f"{name}: refused by the server: {refused}")
            del candidates[name]
            continue
        if rows is not None and sorted(rows, key=lambda row: row["id"]) != reference:
            sys.exit(f"{name}: not the rows of search_read")
    print(f"{len(reference)} rows, {args.runs} interleaved runs, medians")

    wall = {name: [] for name in candidates}
    server_side = {name: [] for name in candidates}
    for _ in range(args.runs):
        for name, form in candidates.items():
            start = os.path.getsize(args.server_log) if args.server_log else 0
            began = time.perf_counter()
            form()
            wall[name].append((time.perf_counter() - began) * 1e3)
            if args.server_log:
                time.sleep(0.01)  # let the server write its access lines
                server_side[name].append(server_account(args.server_log, start))

    base = statistics.median(wall["search_read"])
    print(f"{'form':24} {'wall ms':>8} {'ratio':>6}  server: requests, queries, SQL ms, Python ms")
    for name, times in wall.items():
        line = f"{name:24} {statistics.median(times):8.1f} {statistics.median(times) / base:6.2f}"
        if server_side[name]:
            runs = server_side[name]
            line += "  {} req, {:.0f} q, {:.1f} ms SQL, {:.1f} ms Python".format(
                statistics.median(len(r) for r in runs),
                statistics.median(sum(q for _, q, _, _ in r) for r in runs),
                statistics.median(sum(s for _, _, s, _ in r) for r in runs),
                statistics.median(sum(p for _, _, _, p in r) for r in runs))
        print(line)


if __name__ == "__main__":
    main()
