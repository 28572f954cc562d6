"""The calls behind tests/odoo17_faults.rs, for running against a real Odoo 17 to compare
its answers with what the tests assert (prints each answer; changes nothing it does not
delete again). Not run in CI.

    python3 faults_check.py [URL] [DB] [PASSWORD]     # default http://127.0.0.1:8069 openspp admin

On OpenSPP, res.partner's `unlink` answers None, which XML-RPC cannot marshal: the final
`unlink` line shows that fault although the records are deleted.
"""
import base64
import json
import sys
import xmlrpc.client

URL = sys.argv[1] if len(sys.argv) > 1 else 'http://127.0.0.1:8069'
DB = sys.argv[2] if len(sys.argv) > 2 else 'openspp'
PASSWORD = sys.argv[3] if len(sys.argv) > 3 else 'admin'
o = xmlrpc.client.ServerProxy(URL + '/xmlrpc/2/object', allow_none=True)


def kw(model, method, args, kwargs=None):
    try:
        return ('ok', o.execute_kw(DB, 2, PASSWORD, model, method, args, kwargs or {}))
    except xmlrpc.client.Fault as f:
        lines = [l for l in f.faultString.strip().splitlines() if l.strip()]
        return ('fault', f.faultCode, f.faultString if f.faultCode != 1 else '\n'.join(lines[-3:]))
    except Exception as e:  # what the Python client refuses to send
        return ('error', repr(e))


def show(label, r):
    print(label, '=>', json.dumps(r, ensure_ascii=False, default=str)[:700])


created = []
try:
    show('read dup', kw('res.partner','read',[[3,1,3],['name']]))
    for order in ['name sideways','name,','  ','name nulls  first','nmae desc','name.x','"name" desc','name:max','name DESC NULLS LAST, id']:
        show('order '+repr(order), kw('res.partner','search',[[]],{'order':order,'limit':3}))
    total=kw('res.partner','search_count',[[]])
    ns=kw('res.partner','name_search',[''],{'limit':0})
    show('count', total); print('name_search limit0 len', len(ns[1]) if ns[0]=='ok' else ns)
    a=kw('res.partner','create',[{'name':'İstanbul Office'}]); b=kw('res.partner','create',[{'name':'istanbul depot'}]); created += [a[1],b[1]]
    for op,v in [('ilike','istanbul'),('ilike','İSTANBUL'),('=ilike','istanbul office'),('like','istanbul')]:
        show('ilike %s %s'%(op,v), kw('res.partner','search',[[('name',op,v),('id','in',created)]]))
    for comp in [[999],[1,2],['1'],[1],[],False,5]:
        show('companies %r'%(comp,), kw('res.partner','search',[[('id','=',3)]],{'context':{'allowed_company_ids':comp}}))
    show('companies fields_get', kw('res.partner','fields_get',[['name']],{'context':{'allowed_company_ids':[999]}}))
    show('companies create', kw('res.partner','create',[{'name':'x'}],{'context':{'allowed_company_ids':[999]}}))
    arch=kw('res.partner','create',[{'name':'Archived Partner Z','active':False}]); created.append(arch[1])
    for at in [0,False,'',0.0,1,True,'no']:
        show('active_test %r'%(at,), kw('res.partner','search',[[('name','=','Archived Partner Z')]],{'context':{'active_test':at}}))
    for ctx in [False,0,'',[],[['active_test',False]],5,True,'abc',[5],['abc']]:
        show('context %r'%(ctx,), kw('res.partner','search',[[('name','=','Archived Partner Z')]],{'context':ctx}))
    # dates
    show('bd>=1-1-1970', kw('res.partner','search_count',[[('birthdate','>=','1-1-1970')]]))
    show('bd>=1970-01-01', kw('res.partner','search_count',[[('birthdate','>=','1970-01-01')]]))
    for leaf in [('birthdate','>=','2026-02-30'),('birthdate','=','13/8/2024'),('birthdate','=',''),('create_date','>','yesterday-ish'),('id','=',3000000000),('id','=','3000000000'),('id','in',[3000000000]),('color','=','seven'),('color','=',' 7 ')]:
        show('leaf %r'%(leaf,), kw('res.partner','search',[[leaf]],{'limit':2}))
    # html
    h=kw('res.partner','create',[{'name':'Html','comment':'plain text'}]); created.append(h[1])
    show('html plain', kw('res.partner','read',[[h[1]],['comment']]))
    for w in ['<script>alert(1)</script>plain','<p onclick="steal()" class="c">hi <b>there</b></p>','<img src="x.png" onerror="alert(1)">','<div><p>x</p></div>','<b>x</b> tail','']:
        kw('res.partner','write',[[h[1]],{'comment':w}]); show('html %r'%w, kw('res.partner','read',[[h[1]],['comment']]))
finally:
    if created: print('unlink', kw('res.partner','unlink',[created]))

atts=[]; partners=[]
try:
    a=kw('ir.attachment','create',[{'name':'hello.txt','datas':base64.b64encode(b'hello world').decode()}]); show('create',a); atts.append(a[1])
    F=['datas','file_size','mimetype','checksum','type','store_fname','db_datas','index_content','raw']
    show('read', kw('ir.attachment','read',[[a[1]],F]))
    show('read bin_size', kw('ir.attachment','read',[[a[1]],['datas','db_datas','raw']],{'context':{'bin_size':True}}))
    for bad in ['not base64!','abc','abcde','aGVsbG8','aGVsbG8=x', '!!!!', 'a']:
        r=kw('ir.attachment','create',[{'name':'bad.txt','datas':bad}]); show('bad %r'%bad, r)
        if r[0]=='ok': atts.append(r[1]); show('  read', kw('ir.attachment','read',[[r[1]],['datas','file_size']]))
    r=kw('ir.attachment','write',[[a[1]],{'datas':base64.b64encode(b'x'*3000).decode()}]); show('write',r)
    show('read2', kw('ir.attachment','read',[[a[1]],['file_size','checksum']]))
    show('read2 bin', kw('ir.attachment','read',[[a[1]],['datas']],{'context':{'bin_size':True}}))
    r=kw('ir.attachment','create',[{'name':'empty.bin'}]); atts.append(r[1]); show('empty', kw('ir.attachment','read',[[r[1]],['datas','file_size','mimetype','checksum']]))
    show('empty bin', kw('ir.attachment','read',[[r[1]],['datas']],{'context':{'bin_size':True}}))
    r=kw('ir.attachment','create',[{'name':'noext','datas':base64.b64encode(b'%PDF-1.4 hi').decode()}]); atts.append(r[1]); show('pdf', kw('ir.attachment','read',[[r[1]],['mimetype','file_size']]))
    # binary attachment field on res.partner
    p=kw('res.partner','create',[{'name':'Bin P','id_pdf':base64.b64encode(b'%PDF-1.4 doc').decode()}]); partners.append(p[1]); show('partner', p)
    show('partner read', kw('res.partner','read',[[p[1]],['id_pdf']]))
    show('partner bin', kw('res.partner','read',[[p[1]],['id_pdf']],{'context':{'bin_size':True}}))
    show('partner att', kw('ir.attachment','search_read',[[('res_model','=','res.partner'),('res_id','=',p[1]),('res_field','=','id_pdf')]],{'fields':['name','file_size','mimetype','res_field']}))
    show('partner bad', kw('res.partner','write',[[p[1]],{'id_pdf':'not base64!'}]))
    show('search datas', kw('ir.attachment','search',[[('datas','=',False),('id','in',atts)]]))
finally:
    print('unlink att', kw('ir.attachment','unlink',[atts]))
    print('unlink p', kw('res.partner','unlink',[partners]))
