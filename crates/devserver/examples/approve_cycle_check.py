"""The steps of the `approve_cycle` example in plain Python (xmlrpc.client), on a twin program
of its own, so that what the generated Rust calls do can be compared with what any XML-RPC
client gets from a real OpenSPP 17:

    ODOO_PASSWORD=admin python approve_cycle_check.py http://127.0.0.1:8069 [db] [login]

It makes a program with the create-program wizard (its cycle manager's approver group:
`g2p_registry_base.group_g2p_admin`, which the cycle manager requires before it approves and
which the user must belong to unless it is the superuser), creates a cycle, prepares its
entitlements, sets it to approve and approves it, prints each answer and what the records read
back, then deletes everything it made (program, managers, memberships, cycle, entitlements,
journal). Output is JSON, database ids replaced by placeholders, comparable with the example's.
"""
import json, os, sys, xmlrpc.client

url = sys.argv[1]
db = sys.argv[2] if len(sys.argv) > 2 else "openspp"
login = sys.argv[3] if len(sys.argv) > 3 else "admin"
pw = os.environ["ODOO_PASSWORD"]
uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(db, login, pw, {})
obj = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)


def call(model, method, *args, **kw):
    try:
        return obj.execute_kw(db, uid, pw, model, method, list(args), kw)
    except xmlrpc.client.Fault as f:
        return {"fault": f.faultString.strip().splitlines()[-1][:300]}


def ref(xmlid):
    module, name = xmlid.split(".")
    return call("ir.model.data", "search_read", [["module", "=", module], ["name", "=", name]], fields=["res_id"])[0]["res_id"]


out = {}
usd = call("res.currency", "search", [["name", "=", "USD"]])[0]
wizard = call("g2p.program.create.wizard", "create", {
    "name": "openspp-rs approve twin (python)",
    "currency_id": usd,
    "target_type": "group",
    "eligibility_domain": "[('is_registrant', '=', True), ('is_group', '=', True)]",
    "entitlement_kind": "default",
    "amount_per_cycle": 100.0,
    "amount_per_individual_in_group": 25.0,
    "max_individual_in_group": 0,
    "cycle_duration": 1,
    "import_beneficiaries": "yes",
    "approver_group_id": ref("g2p_registry_base.group_g2p_admin"),
})
action = call("g2p.program.create.wizard", "create_program", [wizard])
out["create_program"] = {k: action.get(k) for k in ("type", "res_model")} if "fault" not in action else action
program = action["res_id"]
try:
    members = call("g2p.program_membership", "read_group", [["program_id", "=", program]], ["partner_id:count"], ["state"], lazy=False)
    out["members"] = {g["state"]: g["__count"] for g in members}
    out["eligible registrant groups"] = call("res.partner", "search_count", [["is_registrant", "=", True], ["is_group", "=", True]])
    answer = call("g2p.program", "create_new_cycle", [program])
    out["create_new_cycle"] = answer.get("fault") or answer.get("params", {}).get("message", answer.get("type"))
    cycles = call("g2p.cycle", "search", [["program_id", "=", program]])
    out["cycles"] = len(cycles)
    for step in ("prepare_entitlement", "to_approve", "approve"):
        answer = call("g2p.cycle", step, cycles)
        out[step] = answer if not isinstance(answer, dict) or "fault" in answer else answer.get("type")
        cycle = call("g2p.cycle", "read", cycles, fields=["state", "approved_by"])[0]
        out[f"after {step}: cycle"] = {"state": cycle["state"], "approved_by": bool(cycle["approved_by"])}
        ents = call("g2p.entitlement", "read_group", [["cycle_id", "in", cycles]], ["initial_amount:sum"], ["state"], lazy=False)
        out[f"after {step}: entitlements"] = {g["state"]: [g["__count"], g["initial_amount"]] for g in ents}
finally:
    cycles = call("g2p.cycle", "search", [["program_id", "=", program]])
    prog = call("g2p.program", "read", [program], fields=["journal_id", "eligibility_managers", "cycle_managers", "entitlement_managers", "program_managers", "payment_managers", "deduplication_managers", "notification_managers"])[0]
    refs = []
    for field in ("eligibility_managers", "cycle_managers", "entitlement_managers", "program_managers", "payment_managers", "deduplication_managers", "notification_managers"):
        wrapper = call("g2p.program", "fields_get", [field], attributes=["relation"])[field]["relation"]
        for w in call(wrapper, "read", prog[field] or [], fields=["manager_ref_id"]):
            refs.append((wrapper, w["id"], w["manager_ref_id"]))
    deleted = {}
    # OpenSPP refuses to delete an approved cycle or entitlements past draft: back to draft first.
    ents = call("g2p.entitlement", "search", [["cycle_id", "in", cycles]])
    deleted["reset to draft"] = [call("g2p.entitlement", "write", ents, {"state": "draft"}),
                                 call("g2p.cycle", "write", cycles, {"state": "draft"})]
    for model, domain in (("g2p.entitlement", [["cycle_id", "in", cycles]]),
                          ("g2p.cycle.membership", [["cycle_id", "in", cycles]]),
                          ("g2p.cycle", [["id", "in", cycles]]),
                          ("g2p.program_membership", [["program_id", "=", program]])):
        ids = call(model, "search", domain)
        deleted[model] = [len(ids), call(model, "unlink", ids)]
    deleted["g2p.program"] = call("g2p.program", "unlink", [program])
    for wrapper, wid, concrete in refs:
        call(wrapper, "unlink", [wid])
        if concrete:
            model, cid = concrete.split(",")
            call(model, "unlink", [int(cid)])
    if prog["journal_id"]:
        deleted["account.journal"] = call("account.journal", "unlink", [prog["journal_id"][0]])
    out["deleted"] = deleted
    out["left"] = {"programs": call("g2p.program", "search_count", [["id", "=", program]]),
                   "managers": sum(call(w, "search_count", [["id", "=", i]]) for w, i, _ in refs)}
print(json.dumps(out, indent=1, sort_keys=True))
