# python3 cmp.py A.txt B.txt N: client thread (most samples among comm Thread-*) inclusive samples per frame, A vs B
import sys,re,collections; import os; sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '2026-12-04-s17')); from pp import parse
def short(x):
    x=x.split(' (/')[0].split(' ([')[0]
    m=re.search(r'([\w$]+\.[\w$<>]+)\(',x)
    return m.group(1) if m else x.split('+')[0]
def prof(f):
    S=parse(f)
    tid=collections.Counter(t for c,t,s in S if c in ('main','java') or c.startswith('Thread-')).most_common(1)[0][0]
    st=[s for c,t,s in S if t==tid]
    inc=collections.Counter(); se=collections.Counter()
    for s in st:
        seen=set()
        if s: se[short(s[0])]+=1
        for fr in s:
            k=short(fr)
            if k not in seen: seen.add(k); inc[k]+=1
    return len(st),inc,se
na,ia,sa=prof(sys.argv[1]); nb,ib,sb=prof(sys.argv[2]); N=int(sys.argv[3])
print('samples',na,nb)
keys=sorted(set(ia)|set(ib), key=lambda k:-(ib[k]-ia[k]))
print('-- inclusive, largest B-A'); 
for k in keys[:N]: print('%6d %6d %+6d %s'%(ia[k],ib[k],ib[k]-ia[k],k))
keys=sorted(set(sa)|set(sb), key=lambda k:-(sb[k]-sa[k]))
print('-- self, largest B-A')
for k in keys[:N]: print('%6d %6d %+6d %s'%(sa[k],sb[k],sb[k]-sa[k],k))
