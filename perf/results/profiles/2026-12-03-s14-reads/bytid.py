import sys,collections
tid=None; stack=[]; per=collections.Counter(); leaf=collections.defaultdict(collections.Counter); incl=collections.defaultdict(collections.Counter)
def flush():
    if tid is None or not stack: return
    per[tid]+=1
    l=stack[0]; leaf[tid][l]+=1
    for s in set(stack): incl[tid][s]+=1
for line in open(sys.argv[1]):
    line=line.rstrip('\n')
    if not line: flush(); tid=None; stack=[]; continue
    if not line.startswith('\t'):
        flush(); tid=int(line.split()[0]); stack=[]; continue
    parts=line.split(None,1)
    rest=parts[1] if len(parts)>1 else ''
    sym=rest.rsplit(' (',1)[0]; dso=rest.rsplit('(',1)[-1].rstrip(')')
    if sym=='[unknown]': sym='?'+dso.split('/')[-1]
    stack.append(sym.split('+0x')[0])
flush()
top=per.most_common(1)[0][0] if len(sys.argv)<3 else int(sys.argv[2])
n=per[top]; print('tid',top,'samples',n, 'others', sum(per.values())-n)
print('-- leaf'); [print('%6.2f%% %s'%(100*c/n,s)) for s,c in leaf[top].most_common(30)]
print('-- inclusive'); [print('%6.2f%% %s'%(100*c/n,s)) for s,c in incl[top].most_common(45)]
