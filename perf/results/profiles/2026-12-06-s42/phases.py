import sys, re, statistics as st
o=[];g=[];c=[]
for line in sys.stdin:
    m=re.match(r'open of \d+ objects: ([\d.]+) ms', line)
    if m: o.append(float(m.group(1)))
    m=re.search(r'gets: ([\d.]+) ms.*?close: ([\d.]+) ms;', line)
    if m: g.append(float(m.group(1))); c.append(float(m.group(2)))
f=lambda a: "med %5.1f max %5.1f" % (st.median(a), max(a))
print("open", f(o), "| gets", f(g), "| close", f(c))
