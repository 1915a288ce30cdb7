import sys, re, statistics as st
o=[];g=[];t=[]
for line in sys.stdin:
    m=re.match(r'open of \d+ objects: ([\d.]+) ms', line)
    if m: o.append(float(m.group(1)))
    m=re.search(r'gets: ([\d.]+) ms.*?open \+ gets \+ close: ([\d.]+) ms', line)
    if m: g.append(float(m.group(1))); t.append(float(m.group(2)))
print("open %5.1f gets %4.1f total %5.1f (medians)" % (st.median(o), st.median(g), st.median(t)))
