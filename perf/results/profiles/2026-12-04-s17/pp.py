import collections,sys
def parse(fn):
    stacks=[];cur=None
    for line in open(fn):
        if not line.strip():
            if cur: stacks.append(cur); cur=None
            continue
        if line[0] not in ' \t':
            parts=line.split()
            cur=(' '.join(parts[:-1]),parts[-1],[])
        else:
            p=line.strip().split(None,1)
            sym=p[1] if len(p)>1 else '?'
            cur[2].append(sym)
    if cur: stacks.append(cur)
    return stacks
import re
def short(x):
    """A frame's name without its module and arguments: Class.method for Java, the symbol for native code."""
    x=x.split(' (/')[0].split(' ([')[0]
    m=re.search(r'([\w$]+\.[\w$<>]+)\(',x)
    return m.group(1) if m else x.split('+')[0]
def frames(stacks):
    """Inclusive and self sample counts by frame (short name) over the given stacks."""
    inc=collections.Counter(); self_=collections.Counter()
    for s in stacks:
        seen=set()
        if s: self_[short(s[0])]+=1
        for f in s:
            k=short(f)
            if k not in seen: seen.add(k); inc[k]+=1
    return inc,self_
