import json,sys,collections,subprocess
rec=sys.argv[1]; depth=int(sys.argv[2]) if len(sys.argv)>2 else 1
out=subprocess.run(['jfr','print','--json','--events','jdk.ExecutionSample,jdk.NativeMethodSample','--stack-depth','12',rec],capture_output=True,text=True).stdout
d=json.loads(out)['recording']['events']
byt=collections.Counter(); top=collections.defaultdict(collections.Counter)
for e in d:
    v=e['values']; t=(v.get('sampledThread') or {}).get('javaName') or '?'
    fr=(v.get('stackTrace') or {}).get('frames') or []
    names=[f['method']['type']['name'].split('/')[-1]+'.'+f['method']['name']+':'+str(f.get('lineNumber')) for f in fr[:depth]]
    byt[t]+=1; top[t][e['type'][4:8]+' '+' < '.join(names)]+=1
for t,n in byt.most_common(5):
    print(t,n)
    for s,c in top[t].most_common(14): print('   %5d %4.1f%% %s'%(c,100*c/n,s[:230]))
