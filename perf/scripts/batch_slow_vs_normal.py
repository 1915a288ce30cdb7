#!/usr/bin/env python3
"""Reads a trace written by perf/scripts/batch-trace.sh and compares the slow batches (over twice the median) with the
others: the mean time before the engine call, in it and after it, how long the committing thread was switched out in
each, and its user page faults in each (perf/PROFILES.md, "Session 56": the slow ones faulted ~32 times in the Java
heap, in the Java phases).

    python3 perf/scripts/batch_slow_vs_normal.py TRACE.txt
"""
import re, sys, statistics, collections
LINE = re.compile(r'^\s*(.+?)-(\d+)\s+\[(\d+)\].{5,6}?\s+([\d.]+):\s+(\S+):\s*(.*)$')
path = sys.argv[1]
writer = None; order = []; cur = None
offcpu_start = None
sw = []  # all sched switches (ts, cpu, prev_pid, next_comm, next_pid)
for line in open(path):
    m = LINE.match(line)
    if not m: continue
    comm, tid, cpu, ts, name, rest = m.groups(); ts = float(ts)*1e6
    if name == 'tracing_mark_write' and rest.startswith('b '):
        writer = tid
        cur = {'t0': ts, 'in': None, 'out': None, 'pf': [0,0,0], 'off': [0.0,0.0,0.0], 'offwho': collections.Counter(), 'cpu': cpu}
        order.append(cur); continue
    if cur is None: continue
    ph = 0 if cur['in'] is None else (1 if cur['out'] is None else 2)
    if name == 'sched_switch':
        pp = re.search(r'prev_pid=(\d+)', rest).group(1); np_ = re.search(r'next_pid=(\d+)', rest).group(1)
        nc = re.search(r'next_comm=(.+?) next_pid', rest).group(1)
        st = re.search(r'prev_state=(\S+)', rest).group(1)
        if pp == writer:
            offcpu_start = (ts, ph, st); cur['offwho'][nc + ':' + st] += 1
        elif np_ == writer and offcpu_start is not None:
            cur['off'][offcpu_start[1]] += ts - offcpu_start[0]; offcpu_start = None
        continue
    if tid != writer: continue
    if name == 'wb_in' and cur['in'] is None: cur['in'] = ts
    elif name == 'wb_out' and cur['out'] is None: cur['out'] = ts
    elif name == 'page_fault_user': cur['pf'][ph] += 1
for i in range(len(order) - 1):
    order[i]['t1'] = order[i+1]['t0']
bs = [b for b in order[:-1] if b['in'] and b['out']]
for b in bs:
    b['parts'] = (b['in'] - b['t0'], b['out'] - b['in'], b['t1'] - b['out']); b['whole'] = b['t1'] - b['t0']
med = statistics.median(b['whole'] for b in bs)
slow = [b for b in bs if b['whole'] > 2 * med]; norm = [b for b in bs if b['whole'] <= 2 * med]
def summ(name, group):
    if not group: return
    n = len(group)
    p = [statistics.mean(b['parts'][k] for b in group) for k in range(3)]
    off = [statistics.mean(b['off'][k] for b in group) for k in range(3)]
    pf = [statistics.mean(b['pf'][k] for b in group) for k in range(3)]
    who = collections.Counter()
    for b in group: who.update(b['offwho'])
    print("%s: %d batches; mean us before/engine/after %.0f / %.0f / %.0f; off-CPU in them %.0f / %.0f / %.0f; user faults %.1f / %.1f / %.1f" % (name, n, *p, *off, *pf))
    print("   switched out for (next task:state): %s" % ", ".join("%s %d" % kv for kv in who.most_common(8)))
print("median batch %.0f us" % med)
summ("normal", norm); summ("slow (> 2x median)", slow)
