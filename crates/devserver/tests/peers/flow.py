"""A typical client session against an Odoo server, run with OdooRPC or odooly.

    python flow.py odoorpc URL DB LOGIN --password PASSWORD
    python flow.py odooly  URL DB LOGIN --password PASSWORD | --api-key KEY

Each step prints a line; the first failure prints its traceback and exits 1. The script
cleans up what it creates. It runs unchanged against the dev server and a real Odoo 17.
"""
import argparse
import sys
import traceback
import uuid
from urllib.parse import urlsplit

STEPS = []


def step(name):
    def register(func):
        STEPS.append((name, func))
        return func
    return register


class Flow:
    """What a flow needs from a client library: the same calls, spelled its way."""

    def __init__(self, args):
        self.args = args
        self.tag = f"flow-{uuid.uuid4().hex[:8]}"
        self.created = None


class OdooRPCFlow(Flow):
    def connect(self):
        import odoorpc
        url = urlsplit(self.args.url)
        self.odoo = odoorpc.ODOO(url.hostname, port=url.port or 80)
        return self.odoo.version

    def databases(self):
        return self.odoo.db.list()

    def login(self):
        self.odoo.login(self.args.db, self.args.login, self.args.password)
        return self.odoo.env.uid

    def model(self, name):
        return self.odoo.env[name]

    def user_login(self):
        return self.odoo.env.user.login

    def ref(self, xmlid):
        return self.odoo.env.ref(xmlid)

    def search(self, model, domain, **kw):
        return self.model(model).search(domain, **kw)

    def read(self, model, ids, fields):
        return self.model(model).read(ids, fields)

    def country_of(self, partner_id):
        partner = self.model('res.partner').browse(partner_id)
        return partner.country_id and partner.country_id.name

    def create(self, model, values):
        return self.model(model).create(values)

    def write(self, model, ids, values):
        return self.model(model).browse(ids).write(values)

    def unlink(self, model, ids):
        return self.model(model).browse(ids).unlink()

    def fields_get(self, model):
        return self.model(model).fields_get()

    def name_search(self, model, name):
        return self.model(model).name_search(name)

    def read_group(self, model, domain, fields, groupby):
        return self.model(model).read_group(domain, fields, groupby)

    def count(self, model, domain):
        return self.model(model).search_count(domain)

    def logout(self):
        return self.odoo.logout()


class OdoolyFlow(Flow):
    def connect(self):
        import odooly
        self.client = odooly.Client(self.args.url)
        return self.client.server_version

    def databases(self):
        return self.client.database.list()

    def login(self):
        self.client.login(self.args.login, password=self.args.password,
                          database=self.args.db, api_key=self.args.api_key)
        return self.client.env.uid

    def model(self, name):
        return self.client.env[name]

    def user_login(self):
        return self.client.env.user.login

    def ref(self, xmlid):
        return self.client.env.ref(xmlid)

    def search(self, model, domain, **kw):
        return self.model(model).search(domain, **kw).ids

    def read(self, model, ids, fields):
        return self.model(model).browse(ids).read(fields)

    def country_of(self, partner_id):
        partner = self.model('res.partner').browse(partner_id)
        return partner.country_id and partner.country_id.name

    def create(self, model, values):
        record = self.model(model).create(values)
        # over JSON-2 (Odoo 19) `create` answers a list of ids: odooly returns a RecordList
        return record.ids[0] if hasattr(record, 'ids') else record.id

    def write(self, model, ids, values):
        return self.model(model).browse(ids).write(values)

    def unlink(self, model, ids):
        return self.model(model).browse(ids).unlink()

    def fields_get(self, model):
        return self.model(model).fields_get()

    def name_search(self, model, name):
        return self.model(model).name_search(name)

    def read_group(self, model, domain, fields, groupby):
        # by keyword: Odoo 19's /doc-bearer leaves the deprecated read_group out, so odooly
        # cannot name positional arguments over JSON-2
        return self.model(model).read_group(domain=domain, fields=fields, groupby=groupby)

    def count(self, model, domain):
        return self.model(model).search_count(domain)

    def logout(self):
        return self.client.env.uid


def check(condition, message):
    if not condition:
        raise AssertionError(message)


@step("connect: the server says which release it is")
def connect(f):
    version = f.connect()
    check(str(version).split('.')[0] in ('17', '19'), f"version {version!r}")
    return version


@step("list the databases")
def databases(f):
    dbs = f.databases()
    check(f.args.db in dbs, f"{f.args.db!r} not in {dbs!r}")
    return dbs


@step("log in")
def login(f):
    uid = f.login()
    check(isinstance(uid, int) and uid > 0, f"uid {uid!r}")
    return uid


@step("env.user: the logged-in user's login")
def user(f):
    login = f.user_login()
    check(login == f.args.login, f"login {login!r}")
    return login


@step("env.ref: external ids of base records")
def ref(f):
    company = f.ref('base.main_company')
    check(company.id == 1 and company._name == 'res.company', f"main_company {company!r}")
    admin = f.ref('base.user_admin')
    check(admin.id == 2 and admin._name == 'res.users', f"user_admin {admin!r}")
    partner = f.ref('base.partner_admin')
    check(partner._name == 'res.partner' and partner.id > 0, f"partner_admin {partner!r}")
    return company.name


@step("search companies")
def search(f):
    ids = f.search('res.partner', [('is_company', '=', True)], limit=5)
    check(ids and all(isinstance(i, int) for i in ids), f"ids {ids!r}")
    f.companies = ids
    return ids


@step("read them")
def read(f):
    rows = f.read('res.partner', f.companies, ['name', 'country_id'])
    check(len(rows) == len(f.companies), f"rows {rows!r}")
    check(all(row['name'] for row in rows), f"names {rows!r}")
    return [row['name'] for row in rows]


@step("create a partner with a country")
def create(f):
    us = f.ref('base.us')
    f.created = f.create('res.partner', {'name': f.tag, 'country_id': us.id})
    check(isinstance(f.created, int) and f.created > 0, f"id {f.created!r}")
    return f.created


@step("browse a many2one: the partner's country name")
def browse(f):
    name = f.country_of(f.created)
    check(name == 'United States', f"country {name!r}")
    return name


@step("write its email, read it back")
def write(f):
    check(f.write('res.partner', [f.created], {'email': f"{f.tag}@example.org"}) in (True, None), "write")
    rows = f.read('res.partner', [f.created], ['email'])
    check(rows[0]['email'] == f"{f.tag}@example.org", f"email {rows!r}")
    return rows[0]['email']


@step("fields_get")
def fields_get(f):
    fields = f.fields_get('res.partner')
    check(fields['name']['type'] == 'char' and fields['country_id']['relation'] == 'res.country',
          "res.partner fields")
    return len(fields)


@step("name_search")
def name_search(f):
    found = f.name_search('res.partner', f.tag)
    check([tuple(pair) for pair in found] == [(f.created, f.tag)], f"name_search {found!r}")
    return found


@step("read_group")
def read_group(f):
    groups = f.read_group('res.partner', [('id', '=', f.created)], ['country_id'], ['country_id'])
    check(len(groups) == 1 and groups[0]['country_id_count'] == 1, f"groups {groups!r}")
    check(groups[0]['country_id'][1] == 'United States', f"group {groups!r}")
    return groups[0]['country_id']


@step("search_count")
def count(f):
    n = f.count('res.partner', [('name', '=', f.tag)])
    check(n == 1, f"count {n!r}")
    return n


@step("unlink it; it is gone")
def unlink(f):
    check(f.unlink('res.partner', [f.created]) in (True, None), "unlink")
    n = f.count('res.partner', [('id', '=', f.created)])
    check(n == 0, f"count after unlink {n!r}")
    f.created = None
    return n


@step("log out")
def logout(f):
    return f.logout()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('client', choices=['odoorpc', 'odooly'])
    parser.add_argument('url')
    parser.add_argument('db')
    parser.add_argument('login')
    secret = parser.add_mutually_exclusive_group(required=True)
    secret.add_argument('--password')
    secret.add_argument('--api-key')
    args = parser.parse_args()
    flow = (OdooRPCFlow if args.client == 'odoorpc' else OdoolyFlow)(args)
    label = f"{args.client} {'api key' if args.api_key else 'password'} {args.url}"
    for number, (name, func) in enumerate(STEPS, 1):
        try:
            result = func(flow)
        except Exception:
            print(f"FAIL {label} step {number}/{len(STEPS)}: {name}")
            traceback.print_exc()
            if flow.created:
                try:
                    flow.unlink('res.partner', [flow.created])
                except Exception:
                    pass
            return 1
        print(f"ok   {label} step {number}/{len(STEPS)}: {name} -> {str(result)[:80]}")
    print(f"PASS {label}: {len(STEPS)} steps")
    return 0


if __name__ == '__main__':
    sys.exit(main())
