import sys,collections
sys.path.insert(0,'/work/main/perf/results/profiles/2026-12-04-s17')
from pp import parse
S=parse(sys.argv[1]); tid=sys.argv[2]; root=sys.argv[3]; N=int(sys.argv[4]) if len(sys.argv)>4 else 40
st=[s for c,t,s in S if t==tid]
from pp import short as nm
under=[s for s in st if any(nm(f).endswith(root) for f in s)]
print(root,'samples',len(under),'of',len(st))
inc=collections.Counter(); sf=collections.Counter()
for s in under:
    seen=set()
    for f in s:
        n=nm(f)
        if n.endswith(root): break
        if n not in seen: inc[n]+=1; seen.add(n)
    sf[nm(s[0])]+=1
for k,v in inc.most_common(N): print('   %5.1f%% %s'%(100*v/max(1,len(under)),k))
print('--self')
for k,v in sf.most_common(15): print('   %5.1f%% %s'%(100*v/max(1,len(under)),k))
