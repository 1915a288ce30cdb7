# python3 incl.py PERF_SCRIPT_TXT [N] [TID]: the busiest io.objstate thread's samples (or thread TID's), inclusive and self shares by frame
import sys,collections,re
import os; sys.path.insert(0,os.path.dirname(os.path.abspath(__file__))); from pp import parse
S=parse(sys.argv[1]); top=int(sys.argv[2]) if len(sys.argv)>2 else 40
tid=sys.argv[3] if len(sys.argv)>3 else collections.Counter(t for c,t,s in S if c.startswith('io.objstate')).most_common(1)[0][0]
st=[s for c,t,s in S if t==tid]
def short(x):
    x=x.split(' (/')[0].split(' ([')[0]
    m=re.search(r'([\w$]+\.[\w$<>]+)\(',x)
    return m.group(1) if m else x.split('+')[0]
inc=collections.Counter(); self_=collections.Counter()
for s in st:
    seen=set()
    if s: self_[short(s[0])]+=1
    for f in s:
        k=short(f)
        if k not in seen: seen.add(k); inc[k]+=1
N=len(st); print('samples',N)
for k,v in inc.most_common(top): print('%5.1f%% %s'%(100*v/N,k))
print('--self')
for k,v in self_.most_common(top): print('%5.1f%% %s'%(100*v/N,k))
