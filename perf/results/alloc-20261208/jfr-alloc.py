#!/usr/bin/env python3
"""Aggregates JFR jdk.ObjectAllocationSample events (weight = bytes the sample stands for) of a recording:
by thread, by (class, allocating frame, innermost dev.prism frame), and by innermost dev.prism frame.
Usage: jfr print --json --stack-depth 24 --events jdk.ObjectAllocationSample rec.jfr | jfr-alloc.py [top]"""
import json, sys, collections

top = int(sys.argv[1]) if len(sys.argv) > 1 else 40
# "count": each sample counts 1 (samples are taken at TLAB refills, so counts follow bytes too, without the
# throttled samples' outsized weights); default "weight"
mode = sys.argv[2] if len(sys.argv) > 2 else "weight"
events = json.load(sys.stdin)["recording"]["events"]
def name(f):
    m = f["method"]; t = m["type"]["name"].split(".")[-1]
    return t + "." + m["name"]
by_thread, by_site, by_prism = collections.Counter(), collections.Counter(), collections.Counter()
total = 0
for e in events:
    v = e["values"]; w = 1 if mode == "count" else v["weight"]; total += w
    thread = (v.get("eventThread") or {}).get("javaName") or "?"
    by_thread[thread.rstrip("0123456789-")] += w
    frames = (v.get("stackTrace") or {}).get("frames") or []
    cls = v["objectClass"]["name"].split(".")[-1]
    alloc = name(frames[0]) if frames else "?"
    prism = next((name(f) for f in frames if f["method"]["type"]["name"].startswith("dev.prism")), "-")
    by_site[(cls, alloc, prism)] += w
    by_prism[prism] += w
print(f"samples {len(events)}, mode {mode}" + (f", total sampled weight {total/1e6:.2f} MB" if mode != "count" else ""))
for title, c in (("by thread", by_thread), ("by class, allocating frame, innermost Prism frame", by_site),
                 ("by innermost Prism frame", by_prism)):
    print(f"\n{title}:")
    for k, w in c.most_common(top):
        print(f"  {100*w/total:5.1f}%  {k if isinstance(k, str) else '  '.join(k)}")
