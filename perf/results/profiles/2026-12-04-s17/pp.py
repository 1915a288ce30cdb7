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
