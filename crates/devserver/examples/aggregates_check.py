"""Compares the typed aggregates of `cargo run -p openspp-devserver --example aggregates` with
Python's raw calls on the same server, field by field: `read_group` on Odoo 17/18 and
`formatted_read_group` on Odoo 19+, each answer normalised by hand here (many2one as
[id, name], a period as [from, to] from `__range` (17) or the `__extra_domain` bounds (19),
Odoo's False as None except for booleans and counts).

    ODOO_PASSWORD=admin target/debug/examples/aggregates --url URL --xmlrpc --openspp > rust.txt
    python aggregates_check.py URL DB LOGIN SECRET rust.txt [--openspp]

On Odoo 19 (no OpenSPP modules): `ODOO_API_KEY=KEY aggregates --url URL --json2` (or `--xmlrpc`),
then `python aggregates_check.py URL DB LOGIN KEY rust.txt`.

Exit status 0 when every group, key and value is equal.
"""
import json
import sys
import xmlrpc.client

url, db, login, secret, rust_file = sys.argv[1:6]
openspp = "--openspp" in sys.argv
common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
major = common.version()["server_version_info"][0]
uid = common.authenticate(db, login, secret, {})
obj = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)


def call(model, method, args, kwargs):
    return obj.execute_kw(db, uid, secret, model, method, args, kwargs)


def empty(v):
    return None if v is False else v


def query(model, domain, groupby, aggregates, order=None, limit=None):
    """groupby: [(spec, kind)], kind in m2o/bool/plain/period; aggregates: [(field, func)]."""
    kwargs = {}
    if limit:
        kwargs["limit"] = limit
    if major >= 19:
        if order:
            kwargs["order"] = order
        specs = [f"{f}:{a}" for f, a in aggregates]
        groups = call(model, "formatted_read_group", [domain, [g for g, _ in groupby], specs + ["__count"]], kwargs)
        keys_of = lambda g: [key19(g, spec, kind) for spec, kind in groupby]
        values_of = lambda g: [value(g[s], a) for s, (_, a) in zip(specs, aggregates)]
    else:
        if order:
            kwargs["orderby"] = order
        kwargs["lazy"] = False
        fields = [f"a{i}:{a}({f})" for i, (f, a) in enumerate(aggregates)]
        groups = call(model, "read_group", [domain, fields, [g for g, _ in groupby]], kwargs)
        keys_of = lambda g: [key17(g, spec, kind) for spec, kind in groupby]
        values_of = lambda g: [value(g[f"a{i}"], a) for i, (_, a) in enumerate(aggregates)]
    return [{"key": keys_of(g), "count": g["__count"], "values": values_of(g)} for g in groups]


def value(v, func):
    if func in ("count", "count_distinct"):
        return v or 0
    if func == "array_agg":
        return v or []
    return empty(v)


def key17(g, spec, kind):
    if kind == "period":
        r = g.get("__range", {}).get(spec)
        return [r["from"], r["to"]] if r else None
    return plain_key(g[spec], kind)


def plain_key(v, kind):
    """A many2one as [id, name], a boolean as itself, any other False (no value) as None."""
    if kind == "m2o":
        return list(v) if v else None
    return v if kind == "bool" else empty(v)


def key19(g, spec, kind):
    v = g[spec]
    if kind == "period":
        if not v:
            return None
        field = spec.split(":")[0]
        leaves = [l for l in g["__extra_domain"] if isinstance(l, list) and l[0] == field]
        return [v[0], next(l[2] for l in leaves if l[1] == "<")]
    return plain_key(v, kind)


expected = {
    "per_country_and_type": query(
        "res.partner", [], [("country_id", "m2o"), ("type", "plain")],
        [("color", "sum"), ("color", "avg"), ("parent_id", "count_distinct"), ("id", "array_agg")],
        order="__count desc, country_id asc", limit=10),
    "per_month_and_company": query(
        "res.partner", [], [("create_date:month", "period"), ("is_company", "bool")],
        [("write_date", "max"), ("name", "min")]),
    "per_country_struct": query(
        "res.partner", [], [("country_id", "m2o")], [("color", "sum")],
        order="__count desc, country_id asc"),
    "moves_per_journal_and_month": query(
        "account.move", [], [("journal_id", "m2o"), ("date:month", "period")],
        [("amount_total", "sum"), ("amount_total", "max"), ("partner_id", "count_distinct")]),
}
if openspp:
    expected["registrants_per_area_and_gender"] = query(
        "res.partner", [["is_registrant", "=", True], ["is_group", "=", False]],
        [("area_id", "m2o"), ("gender", "plain")], [("birthdate", "min"), ("area_id", "count")])
    expected["entitlements_per_cycle_and_month"] = query(
        "g2p.entitlement", [], [("cycle_id", "m2o"), ("valid_from:month", "period")],
        [("initial_amount", "sum"), ("initial_amount", "avg"), ("initial_amount", "max"),
         ("partner_id", "count_distinct")])

text = open(rust_file).read()
rust = json.loads(text[text.index("\n{") + 1:])
failures = 0
for name, groups in expected.items():
    got = rust.get(name)
    fields = sum(len(g["key"]) + 1 + len(g["values"]) for g in groups)
    if got == groups:
        print(f"{name}: {len(groups)} groups, {fields} keys/counts/values equal")
    else:
        failures += 1
        print(f"{name}: DIFFERENT\n python: {json.dumps(groups)[:2000]}\n rust:   {json.dumps(got)[:2000]}")
print(f"Odoo {major}: {'all equal' if not failures else f'{failures} queries differ'}")
sys.exit(1 if failures else 0)
