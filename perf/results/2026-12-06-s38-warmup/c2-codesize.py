import json,sys,re,collections
def load(f):
    d=json.load(open(f))
    out=collections.defaultdict(lambda:[0,0,0.0])
    tot=[0,0.0]
    for e in d['recording']['events']:
        if e['type']!='jdk.Compilation': continue
        v=e['values']
        if v['compileLevel']!=4: continue
        m=v['method']; name=m['type']['name'].split('/')[-1]+'.'+m['name']
        mm=re.match(r'PT(?:(\d+)M)?([\d.]+)S',v['duration']); ms=(int(mm.group(1) or 0)*60+float(mm.group(2)))*1000
        a=out[name]; a[0]+=1; a[1]=max(a[1],v.get('codeSize',0)); a[2]+=ms
        tot[0]+=v.get('codeSize',0); tot[1]+=ms
    return out,tot
A,ta=load(sys.argv[1]); B,tb=load(sys.argv[2])
print(f'total C2 code bytes A {ta[0]} B {tb[0]}; C2 ms A {ta[1]:.0f} B {tb[1]:.0f}')
names=sorted(set(A)|set(B),key=lambda n:-(max(A[n][1] if n in A else 0,B[n][1] if n in B else 0)))
for n in names[:40]:
    a=A.get(n,[0,0,0]); b=B.get(n,[0,0,0])
    print(f'{a[1]:7d} {b[1]:7d}  ({a[0]}x/{b[0]}x)  {n}')
