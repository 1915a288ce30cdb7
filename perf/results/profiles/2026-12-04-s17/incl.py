# python3 incl.py PERF_SCRIPT_TXT [N] [TID]: the busiest io.objstate thread's samples (or thread TID's), inclusive and self shares by frame
import sys,collections
import os; sys.path.insert(0,os.path.dirname(os.path.abspath(__file__))); from pp import parse, frames
S=parse(sys.argv[1]); top=int(sys.argv[2]) if len(sys.argv)>2 else 40
tid=sys.argv[3] if len(sys.argv)>3 else collections.Counter(t for c,t,s in S if c.startswith('io.objstate')).most_common(1)[0][0]
st=[s for c,t,s in S if t==tid]
inc,self_=frames(st)
N=len(st); print('samples',N)
for k,v in inc.most_common(top): print('%5.1f%% %s'%(100*v/N,k))
print('--self')
for k,v in self_.most_common(top): print('%5.1f%% %s'%(100*v/N,k))
