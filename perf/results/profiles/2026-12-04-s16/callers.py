# Usage: python3 callers.py SCRIPT TID SYMBOL (perf script -F tid,time,ip,sym,dso, recorded with -g): for the samples of thread TID whose stack holds SYMBOL, the first frame outside the kernel.
import sys,collections
tid=None; stack=[]; c=collections.Counter(); n=0; tot=0
want=int(sys.argv[2]); sym=sys.argv[3]
def flush():
    global n,tot
    if tid!=want or not stack: return
    tot+=1
    if sym not in stack: return
    n+=1
    for s,d in zip(stack,dsos):
        if 'kernel' not in d and 'vdso' not in d:
            c[s]+=1; return
    c['(kernel only)']+=1
for line in open(sys.argv[1]):
    line=line.rstrip('\n')
    if not line: flush(); tid=None; stack=[]; dsos=[]; continue
    if not line.startswith('\t'):
        flush(); tid=int(line.split()[0]); stack=[]; dsos=[]; continue
    parts=line.split(None,1); rest=parts[1] if len(parts)>1 else ''
    s=rest.rsplit(' (',1)[0]; d=rest.rsplit('(',1)[-1]
    stack.append(s.split('+0x')[0]); dsos.append(d)
flush()
print(n,'of',tot)
for s,k in c.most_common(25): print('%6.2f%% %s'%(100*k/tot,s[:150]))
