# Usage (from this directory, it reads timeline.py): python3 window.py SCRIPT FROM TO: the main thread between FROM and TO seconds after the first sample.
import collections,sys
exec(open('timeline.py').read().split("main=collections")[0])
main=collections.Counter(r[0] for r in rows if any('runPass' in s for s in r[2])).most_common(1)[0][0]
t0=min(r[1] for r in rows)
lo,hi=float(sys.argv[2]),float(sys.argv[3])
sel=[r for r in rows if lo<=r[1]-t0<=hi]
bytid=collections.Counter(r[0] for r in sel)
print('samples by thread', bytid.most_common(6), 'main', main)
m=[r for r in sel if r[0]==main]
n=len(m); leaf=collections.Counter(); inc=collections.Counter()
for _,_,st in m:
    leaf[st[0][:110]]+=1
    for s in set(st): inc[s[:110]]+=1
print('-- main leaf'); [print('%5.1f%% %s'%(100*c/n,s)) for s,c in leaf.most_common(30)]
print('-- main inclusive'); [print('%5.1f%% %s'%(100*c/n,s)) for s,c in inc.most_common(60)]
