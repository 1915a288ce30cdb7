import sys,collections
# samples of tid whose stack contains A; report leaf and inclusive within
tidf=int(sys.argv[2]); A=sys.argv[3]
tid=None; stack=[]; n=0; tot=0; leaf=collections.Counter(); incl=collections.Counter()
def flush():
    global n,tot
    if tid!=tidf or not stack: return
    tot+=1
    if A in stack:
        n+=1; leaf[stack[0]]+=1
        for s in set(stack): incl[s]+=1
for line in open(sys.argv[1]):
    line=line.rstrip('\n')
    if not line: flush(); tid=None; stack=[]; continue
    if not line.startswith('\t'):
        flush(); tid=int(line.split()[0]); stack=[]; continue
    parts=line.split(None,1); rest=parts[1] if len(parts)>1 else ''
    sym=rest.rsplit(' (',1)[0]
    stack.append(sym.split('+0x')[0])
flush()
print('under',A,n,'of',tot,'%.1f%%'%(100*n/tot))
for s,c in incl.most_common(40): print('%6.1f%% %s'%(100*c/n,s))
