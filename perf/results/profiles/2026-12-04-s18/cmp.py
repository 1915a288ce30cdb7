# python3 cmp.py A.txt B.txt N: the client thread's (most samples among comm main, java, Thread-*) samples by frame, A against B
import sys,collections,os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '2026-12-04-s17')); from pp import parse, frames
def prof(f):
    S=parse(f)
    tid=collections.Counter(t for c,t,s in S if c in ('main','java') or c.startswith('Thread-')).most_common(1)[0][0]
    st=[s for c,t,s in S if t==tid]
    return (len(st),)+frames(st)
na,ia,sa=prof(sys.argv[1]); nb,ib,sb=prof(sys.argv[2]); N=int(sys.argv[3])
print('samples',na,nb)
for title,a,b in (('inclusive',ia,ib),('self',sa,sb)):
    print('-- %s, largest B-A'%title)
    for k in sorted(set(a)|set(b), key=lambda k:-(b[k]-a[k]))[:N]: print('%6d %6d %+6d %s'%(a[k],b[k],b[k]-a[k],k))
