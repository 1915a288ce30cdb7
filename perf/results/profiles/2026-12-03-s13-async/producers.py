"""Producer threads' (Thread-*) JFR samples by their innermost objstate frames (4 deep), and the persister's.
    python3 producers.py RECORDING.jfr"""
import json, sys, collections, subprocess
out = subprocess.run(['jfr', 'print', '--json', '--events', 'jdk.ExecutionSample,jdk.NativeMethodSample', '--stack-depth', '30',
                      sys.argv[1]], capture_output=True, text=True, check=True).stdout
events = json.loads(out)['recording']['events']
for prefix in ('Thread-', 'objstate-persister'):
    c = collections.Counter(); n = 0
    for e in events:
        v = e['values']; t = (v.get('sampledThread') or {}).get('javaName') or '?'
        if not t.startswith(prefix):
            continue
        fr = (v.get('stackTrace') or {}).get('frames') or []
        top = fr[0]['method']['type']['name'].split('/')[-1] + '.' + fr[0]['method']['name'] if fr else '?'
        own = [f['method']['type']['name'].split('/')[-1] + '.' + f['method']['name'] + ':' + str(f.get('lineNumber'))
               for f in fr if 'objstate/' in f['method']['type']['name']]
        n += 1; c[e['type'][4:8] + ' ' + top + ' @ ' + ' < '.join(own[:4])] += 1
    print(prefix, n, 'samples')
    for k, v in c.most_common(16):
        print('  %4d %4.1f%% %s' % (v, 100 * v / n, k[:240]))
