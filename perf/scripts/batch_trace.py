#!/usr/bin/env python3
"""Reads a trace written by perf/scripts/batch-trace.sh: each timed batch (from one "b INDEX" marker to the next) split
at the uprobes around ostore_write_batch into before / engine / after, the medians, and each batch whose engine call
took a page fault in a file mapping (mm_filemap_fault) or a write fault on a present page (error_code 0x7: a page
written back and write-protected since the last store, or mapped read-only), with the log's syncs before it."""
import re
import statistics
import sys

LINE = re.compile(r'^\s*(.+?)-(\d+)\s+\[(\d+)\].{5,6}?\s+([\d.]+):\s+(\S+):\s*(.*)$')


def events(path):
    with open(path) as f:
        for line in f:
            m = LINE.match(line)
            if m:
                comm, tid, _cpu, ts, name, rest = m.groups()
                yield comm.strip(), tid, float(ts) * 1e6, name, rest


def main(path, show=40):
    writer = None
    batches = {}
    order = []
    syncs = []  # (time, text) of msync / fdatasync / sync_file_range on any thread
    cur = None
    for comm, tid, ts, name, rest in events(path):
        if name == 'tracing_mark_write' and rest.startswith('b '):
            writer = tid
            cur = {'t0': ts, 'in': None, 'out': None, 'faults': [], 'index': int(rest.split()[1])}
            batches[cur['index']] = cur
            order.append(cur)
            continue
        if name.startswith(('sys_msync', 'sys_fdatasync', 'sys_sync_file_range')):  # "sys_msync(start: ..."
            syncs.append((ts, '%s-%s %s %s' % (comm, tid, name, rest[:60])))
        if cur is None or tid != writer:
            continue
        if name == 'wb_in' and cur['in'] is None:
            cur['in'] = ts
        elif name == 'wb_out' and cur['in'] is not None and cur['out'] is None:
            cur['out'] = ts
        elif cur['in'] is not None and cur['out'] is None and (
                name == 'mm_filemap_fault' or (name == 'page_fault_user' and 'error_code=0x7' in rest)):
            cur['faults'].append('%+.0f %s' % (ts - cur['in'], rest[:70]))
    rows = []
    for a, b in zip(order, order[1:]):
        if a['in'] is None or a['out'] is None:
            continue
        rows.append((a, a['in'] - a['t0'], a['out'] - a['in'], b['t0'] - a['out'], b['t0'] - a['t0']))
    if not rows:
        sys.exit('no marked batches with an engine call in ' + path)
    med = [statistics.median(r[i] for r in rows) for i in range(1, 5)]
    print('%d batches; median us: before the engine %.0f, engine %.0f, after %.0f, whole %.0f' % (len(rows), *med))
    faulty = [r for r in rows if r[0]['faults']]
    extra = sum(r[2] - med[1] for r in faulty)
    print('%d batches with a log fault in the engine call; their engine time over the median: %.0f us in all, '
          '%.2f ns an object over all batches of 1 000' % (len(faulty), extra, extra * 1000 / len(rows) / 1000))
    for r in faulty[:show]:
        a = r[0]
        last = [s for t, s in syncs if a['in'] - 20000 <= t < a['in']]
        print('batch %d engine %.0f us: %s%s' % (a['index'], r[2], ' | '.join(a['faults'][:4]),
                                                 ('  [syncs in the 20 ms before: %s]' % '; '.join(last[-3:])) if last else ''))


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40)
