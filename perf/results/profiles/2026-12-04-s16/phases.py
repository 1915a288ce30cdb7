# Usage: python3 phases.py SCRIPT TID (perf script -F tid,time,ip,sym,dso of a YCSB run): the client thread per 0.5 s, by what its samples are in (the open, the engine get, the pick, the decode, Caffeine, ...).
import sys,collections
import os
# the perf-script parser of session 15's timeline.py: rows of (tid, time, stack)
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '2026-12-03-s15-demo', 'timeline.py')).read().split("main=collections")[0])
want=int(sys.argv[2])
rows=[(tt,st) for tid_,tt,st in rows if tid_==want]
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
