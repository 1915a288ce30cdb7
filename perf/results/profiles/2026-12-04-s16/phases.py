# Usage: python3 phases.py SCRIPT TID (perf script -F tid,time,ip,sym,dso of a YCSB run): the client thread per 0.5 s, by what its samples are in (the open, the engine get, the pick, the decode, Caffeine, ...).
import sys,collections

want=int(sys.argv[2]); tid=None; t=None; stack=[]; rows=[]
def flush():
    if tid==want and stack: rows.append((t,list(stack)))
for line in open(sys.argv[1]):
    line=line.rstrip('\n')
    if not line: flush(); stack=[]; tid=None; continue
    if not line.startswith('\t'):
        flush(); stack=[]; p=line.split(); tid=int(p[0]); t=float(p[1].rstrip(':')); continue
    parts=line.split(None,1); rest=parts[1] if len(parts)>1 else ''
    stack.append(rest.rsplit(' (',1)[0].split('+0x')[0])
flush()
cats=[('open','ostore_open'),('get','ostore_get_object_ref'),('pick','pickPacked'),('instantiate','DefaultObjectRuntime.instantiate'),('caffeine','caffeine'),('copyFields','copyFields'),('loadSlot','StateView.loadSlot'),('binding','ObjstateBinding.read'),('ycsbread','doTransactionRead'),('interp','Interpreter')]
def cat(st):
    for name,key in cats:
        if any(key in s for s in st): return name
    return 'other'
t0=rows[0][0]
b=collections.defaultdict(collections.Counter); tot=collections.Counter()
for tt,st in rows:
    c=cat(st); b[int((tt-t0)*2)][c]+=1; tot[c]+=1
for k in sorted(b): print('%4.1f'%(k/2), sum(b[k].values()), b[k].most_common(5))
print(tot.most_common())
