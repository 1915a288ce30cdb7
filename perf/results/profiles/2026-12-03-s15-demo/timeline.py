# Usage: python3 timeline.py SCRIPT (perf script -F tid,time,ip,sym,dso of a demo run): the main thread per 100 ms, by what runPass called.
import collections,sys
tid=None; t=None; stack=[]; rows=[]
def flush():
    if stack: rows.append((tid,t,list(stack)))
for line in open(sys.argv[1]):
    line=line.rstrip('\n')
    if not line: flush(); stack=[]; tid=None; continue
    if not line.startswith('\t'):
        flush(); stack=[]; p=line.split(); tid=int(p[0]); t=float(p[1].rstrip(':')); continue
    parts=line.split(None,1); rest=parts[1] if len(parts)>1 else ''
    sym=rest.rsplit(' (',1)[0]; stack.append(sym.split('+0x')[0])
flush()
main=collections.Counter(r[0] for r in rows if any('runPass' in s for s in r[2])).most_common(1)[0][0]
b=collections.defaultdict(collections.Counter)
for tid_,tt,st in rows:
    if tid_!=main: continue
    callee='?'
    for i,s in enumerate(st):
        if 'Demo.runPass' in s:
            callee=st[i-1][:70] if i>0 else 'runPass'; break
    else:
        callee='(outside runPass) '+next((s[:50] for s in st if 'Demo' in s), st[-1][:50])
    b[int(tt*10)][callee]+=1
t0=min(b)
for k in sorted(b): print('%5.1f'%((k-t0)/10), sum(b[k].values()), b[k].most_common(2))
