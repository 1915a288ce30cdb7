#!/usr/bin/env python3
"""Reads a trace written by perf/scripts/batch-trace.sh and compares the slow batches (over twice the median) with the
others: the mean time before the engine call, in it and after it, how long the committing thread was switched out in
each, and its user page faults in each (perf/PROFILES.md, "Session 56": the slow ones faulted ~32 times in the Java
heap, in the Java phases). The trace's lines are read by batch_trace.py's `events`.

    python3 perf/scripts/batch_slow_vs_normal.py TRACE.txt
"""
import collections
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from batch_trace import events  # noqa: E402


def batches(path):
    """The marked batches, each with its phase times, switched-out time and faults by phase (0 before, 1 engine, 2 after)."""
    writer = None
    order = []
    cur = None
    out_since = None  # (time, phase) the committing thread was switched out at
    for comm, tid, ts, name, rest in events(path):
        if name == 'tracing_mark_write' and rest.startswith('b '):
            writer = tid
            cur = {'t0': ts, 'in': None, 'out': None, 'pf': [0, 0, 0], 'off': [0.0, 0.0, 0.0],
                   'who': collections.Counter()}
            order.append(cur)
            continue
        if cur is None:
            continue
        phase = 0 if cur['in'] is None else 1 if cur['out'] is None else 2
        if name == 'sched_switch':
            prev = re.search(r'prev_pid=(\d+)', rest).group(1)
            nxt = re.search(r'next_pid=(\d+)', rest).group(1)
            if prev == writer:
                out_since = (ts, phase)
                cur['who']['%s:%s' % (re.search(r'next_comm=(.+?) next_pid', rest).group(1),
                                      re.search(r'prev_state=(\S+)', rest).group(1))] += 1
            elif nxt == writer and out_since is not None:
                cur['off'][out_since[1]] += ts - out_since[0]
                out_since = None
        elif tid != writer:
            continue
        elif name == 'wb_in' and cur['in'] is None:
            cur['in'] = ts
        elif name == 'wb_out' and cur['out'] is None:
            cur['out'] = ts
        elif name == 'page_fault_user':
            cur['pf'][phase] += 1
    for a, b in zip(order, order[1:]):
        if a['in'] is not None and a['out'] is not None:
            a['parts'] = (a['in'] - a['t0'], a['out'] - a['in'], b['t0'] - a['out'])
            a['whole'] = b['t0'] - a['t0']
            yield a


def summary(name, group):
    if not group:
        return
    mean = lambda key: [statistics.mean(b[key][k] for b in group) for k in range(3)]  # noqa: E731
    who = collections.Counter()
    for b in group:
        who.update(b['who'])
    print('%s: %d batches; mean us before/engine/after %.0f / %.0f / %.0f; switched out in them %.0f / %.0f / %.0f; '
          'user faults %.1f / %.1f / %.1f' % (name, len(group), *mean('parts'), *mean('off'), *mean('pf')))
    print('   switched out for (next task:state): %s' % ', '.join('%s %d' % kv for kv in who.most_common(8)))


def main(path):
    rows = list(batches(path))
    if not rows:
        sys.exit('no marked batches with an engine call in ' + path)
    med = statistics.median(b['whole'] for b in rows)
    print('median batch %.0f us' % med)
    summary('normal', [b for b in rows if b['whole'] <= 2 * med])
    summary('slow (> 2x median)', [b for b in rows if b['whole'] > 2 * med])


if __name__ == '__main__':
    main(sys.argv[1])
