import collections,sys,subprocess
def load(data):
    out=subprocess.run(["perf","script","-i",data,"-F","tid,ip,sym"],capture_output=True,text=True).stdout
    stacks=[];st=None;tid=None
    for line in out.split("\n"):
        if not line.strip():
            if st: stacks.append((tid,st))
            st=None; continue
        if st is None:
            tid=line.split()[0]; st=[]; continue
        parts=line.strip().split(None,1)
        st.append(parts[1] if len(parts)>1 else parts[0])
    if st: stacks.append((tid,st))
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
