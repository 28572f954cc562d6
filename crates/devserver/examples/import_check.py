"""Runs the same `load`, `export_data` and `ir.model.data` calls (OpenSPP 17 models: registrants
and a group membership; good rows twice, then refused rows of every kind) against one server over
XML-RPC and prints the answers as JSON, database ids replaced by placeholders, so that the
answers of a real Odoo 17 and of the dev server can be diffed:

    python import_check.py http://127.0.0.1:8069 admin > real.json      # a real OpenSPP 17
    cargo xtask serve --port 18069 &                                     # the dev server
    python import_check.py http://127.0.0.1:18069 admin > dev.json
    diff real.json dev.json

Database `openspp`, login `admin`, the second argument the password. It deletes what it made
(every record with an external id of module `cmp16`, then the ids). On 2026-12-03 the only
difference left was the database id inside one message.
"""
import json, sys, xmlrpc.client

url, db, login, pw = sys.argv[1], "openspp", "admin", sys.argv[2]
common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common", allow_none=True)
uid = common.authenticate(db, login, pw, {})
obj = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
def call(model, method, *args, **kw):
    try:
        return obj.execute_kw(db, uid, pw, model, method, list(args), kw)
    except xmlrpc.client.Fault as f:
        return {"fault": f.faultString.strip().splitlines()[-1][:300]}

out = {}
P = "cmp16"
F = ["id", "name", "is_registrant", "is_group", "birthdate", "country_id/id"]
def load(label, fields, rows, model="res.partner", **kw):
    r = call(model, "load", fields, rows, **kw)
    out[label] = r
    return r

ref = lambda x: call("ir.model.data", "search_read", [["module", "=", x.split(".")[0]], ["name", "=", x.split(".")[1]]], fields=["module", "name", "model", "res_id", "noupdate"])
out["ref base.main_company"] = ref("base.main_company")
out["ref base.user_admin"] = ref("base.user_admin")
rows = [[f"{P}.hh_1", "Cmp household", "1", "1", "", "base.be"],
        [f"{P}.ind_1", "Cmp member", "1", "0", "1990-01-02", "base.be"]]
first = load("load new", F, rows)
load("load again", F, rows)
load("bad date", F, [[f"{P}.ind_2", "Cmp bad date", "1", "0", "not a date", "base.be"]])
load("bad date 2", F, [[f"{P}.ind_2", "Cmp bad date", "1", "0", "1990-02-30", "base.be"]])
load("unknown country xmlid", F, [[f"{P}.ind_3", "Cmp no country", "1", "0", "", "base.nowhere"]])
load("unknown boolean", F, [[f"{P}.ind_4", "Cmp maybe", "1", "maybe", "", "base.be"]])
load("good then bad", F, [[f"{P}.ind_5", "Cmp good", "1", "0", "", "base.be"],
                          [f"{P}.ind_6", "Cmp bad", "1", "0", "31/12/1990", "base.be"]])
load("unknown column", ["id", "name", "no_such_field"], [[f"{P}.ind_7", "Cmp x", "1"]])
load("empty name", F, [[f"{P}.ind_8", "", "1", "0", "", "base.be"]])
load("xmlid of another model", F, [["base.be", "Cmp belgium", "1", "0", "", "base.be"]])
load("country by .id", ["id", "name", "country_id/.id"], [[f"{P}.ind_9", "Cmp dot id", "999999"]])
load("membership", ["id", "group/id", "individual/id"], [[f"{P}.mem_1", f"{P}.hh_1", f"{P}.ind_1"]], model="g2p.group.membership")
load("membership unknown group", ["id", "group/id", "individual/id"], [[f"{P}.mem_2", f"{P}.hh_404", f"{P}.ind_1"]], model="g2p.group.membership")
ids = first.get("ids") or []
if ids:
    out["export_data"] = call("res.partner", "export_data", ids, ["id", "name", "is_group", "country_id/id", "birthdate"])
    out["export_data .id"] = call("res.partner", "export_data", ids, [".id", "country_id/.id", "country_id"])
    # give one an extra external id and read them back
    call("ir.model.data", "create", [{"module": P, "name": "extra", "model": "res.partner", "res_id": ids[0], "noupdate": False}])
    out["xmlids"] = call("ir.model.data", "search_read", [["model", "=", "res.partner"], ["res_id", "in", ids]], fields=["module", "name", "model", "noupdate"], order="id")
    out["export after second xmlid"] = call("res.partner", "export_data", ids[:1], ["id"])
# clean up: every record with an xmlid in module cmp16, then the xmlids
data = call("ir.model.data", "search_read", [["module", "=", P]], fields=["model", "res_id"])
for model in ["g2p.group.membership", "res.partner"]:
    rids = sorted({d["res_id"] for d in data if d["model"] == model})
    if rids:
        call(model, "unlink", rids)
left = call("ir.model.data", "search", [["module", "=", P]])
if left:
    call("ir.model.data", "unlink", left)
out["left after cleanup"] = call("ir.model.data", "search_count", [["module", "=", P]])
# normalise database ids for comparison
seen = {}
def norm(v, key=None):
    if isinstance(v, dict):
        return {k: ("<ids>" if k == "export_data .id" else norm(x, k)) for k, x in sorted(v.items())}
    if isinstance(v, list):
        if key == "ids":
            return [seen.setdefault(i, f"#{len(seen)}") for i in v]
        return [norm(x) for x in v]
    if key in ("res_id", "id") or key == "export_data .id":
        return "<id>"
    return v
print(json.dumps(norm(out), indent=1, ensure_ascii=False))
