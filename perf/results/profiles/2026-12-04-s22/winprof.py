"""The writer's samples split by the bench's trace windows (slow: over 1.5x the median window): python3 winprof.py REC.data TRACE.txt"""
import collections,sys
from perfstacks import stacks as perf_stacks
# windows: (end_time_ns, wall_ns_per_batch); start = previous end
wins=[]
prev=None
for l in open(sys.argv[2]):
    if not l.startswith("trace"): continue
    p=l.split(); t=float(p[2]); w=float(p[3])
    if prev is not None: wins.append((prev,t,w))
    prev=t
ws=sorted(w for _,_,w in wins); med=ws[len(ws)//2]
print("windows",len(wins),"median ns/batch",med)
def cls(t):
    for a,b,w in wins:
        if a<=t<b: return "slow" if w>1.5*med else "fast"
    return None
stacks=perf_stacks(sys.argv[1],"tid,time,ip,sym")
cnt=collections.Counter(h[0] for h,_ in stacks); main=cnt.most_common(1)[0][0]
agg={"slow":collections.Counter(),"fast":collections.Counter()}; tot=collections.Counter()
other={"slow":0,"fast":0}
for h,s in stacks:
    t=float(h[1].rstrip(':'))*1e9
    c=cls(t)
    if c is None: continue
    if h[0]!=main: other[c]+=1; continue
    tot[c]+=1
    for f in set(s): agg[c][f]+=1
# time in each class
tt={"slow":sum(b-a for a,b,w in wins if w>1.5*med),"fast":sum(b-a for a,b,w in wins if w<=1.5*med)}
nb={"slow":10000*sum(1 for a,b,w in wins if w>1.5*med),"fast":10000*sum(1 for a,b,w in wins if w<=1.5*med)}
for c in ("fast","slow"): print(c,"batches",nb[c],"writer samples",tot[c],"per 1k batches %.2f"%(1000*tot[c]/max(nb[c],1)),"other-thread samples per 1k batches %.2f"%(1000*other[c]/max(nb[c],1)))
keys=set(agg["slow"])|set(agg["fast"])
rows=sorted(keys,key=lambda k:-(agg["slow"][k]/max(nb["slow"],1)-agg["fast"][k]/max(nb["fast"],1)))
print("per 1k batches: slow fast diff")
for k in rows[:40]:
    a=1000*agg["slow"][k]/max(nb["slow"],1); b=1000*agg["fast"][k]/max(nb["fast"],1)
    print("%6.2f %6.2f %+6.2f %s"%(a,b,a-b,k))
