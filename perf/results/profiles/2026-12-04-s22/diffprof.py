"""The writer thread's samples in two perf recordings, function by function (inclusive): python3 diffprof.py A.data B.data"""
import collections,sys
from perfstacks import stacks as perf_stacks
def load(data):
    stacks=[(h[0],st) for h,st in perf_stacks(data)]
    cnt=collections.Counter(t for t,_ in stacks)
    main=cnt.most_common(1)[0][0]
    ss=[s for t,s in stacks if t==main]
    inc=collections.Counter()
    for s in ss:
        for f in set(s): inc[f]+=1
    return len(ss),inc
na,a=load(sys.argv[1]); nb,b=load(sys.argv[2])
print(na,nb)
keys=set(a)|set(b)
rows=sorted(keys,key=lambda k:-(a[k]-b[k]))
for k in rows[:35]: print("%6d %6d %+6d %s"%(a[k],b[k],a[k]-b[k],k))
