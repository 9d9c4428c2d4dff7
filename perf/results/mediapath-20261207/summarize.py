#!/usr/bin/env python3
"""Summarizes the interleaved rounds in this directory: JMH fanOut (10 receivers) and 4x10 load runs, base vs new."""
import glob, json, re, statistics, sys, os

os.chdir(os.path.dirname(os.path.abspath(__file__)))
RX = 10  # receivers: one op forwards 10 packets

def jmh(path):
    txt = open(path).read()
    its = [float(x) for x in re.findall(r"^Iteration +\d+: ([\d.]+) ns/op", txt, re.M)]
    norm = re.search(r"^ForwardingBenchmark.fanOut:gc.alloc.rate.norm .*? ([\d.]+) ± +([\d.]+) +B/op", txt, re.M)
    score = re.search(r"^ForwardingBenchmark.fanOut +\S+ +\d+ +\S+ +avgt +\d+ +([\d.]+) ± +([\d.]+) +ns/op", txt, re.M)
    return dict(mean=float(score.group(1)) / RX, err=float(score.group(2)) / RX, best=min(its) / RX,
                median=statistics.median(its) / RX, bytes=float(norm.group(1)) / RX)

def load(path):
    j = json.load(open(path))
    return dict(cpu=j['cpu']['serverMicrosPerForwarded'], p50=j['latencyMillis']['all']['p50'],
                p99=j['latencyMillis']['all']['p99'], p999=j['latencyMillis']['all']['p999'],
                loss=j['forwarded']['lossPercent'], fwd=j['forwarded']['perSecond'],
                alloc=j['allocation']['bytesPerForwarded'], loop=j['allocation']['mediaLoopBytesPerForwarded'],
                load=j['machine'] if isinstance(j['machine'], str) else json.dumps(j['machine']))

prefix = sys.argv[1] if len(sys.argv) > 1 else ""
rounds = sorted({int(m.group(1)) for f in glob.glob(prefix + "jmh-base-*.txt")
                 for m in [re.search(r"-(\d+)\.txt$", f)] if m})
print("JMH ForwardingBenchmark.fanOut -p receivers=10, per forwarded packet (op / 10)")
print("round | base mean ns (err) | new mean ns (err) | base median | new median | base best | new best | new/base median | new/base best | base B | new B")
rm, rb = [], []
for r in rounds:
    b, n = jmh(f"{prefix}jmh-base-{r}.txt"), jmh(f"{prefix}jmh-new-{r}.txt")
    rm.append(n['median'] / b['median']); rb.append(n['best'] / b['best'])
    print(f"{r} | {b['mean']:.0f} ({b['err']:.0f}) | {n['mean']:.0f} ({n['err']:.0f}) | {b['median']:.0f} | {n['median']:.0f} | "
          f"{b['best']:.0f} | {n['best']:.0f} | {rm[-1]:.3f} | {rb[-1]:.3f} | {b['bytes']:.1f} | {n['bytes']:.1f}")
if rm:
    print(f"geometric mean of round ratios: median {statistics.geometric_mean(rm):.3f}, best {statistics.geometric_mean(rb):.3f}")
print()
print("load 4x10, 20 s window after 20 s warm-up, per round")
print("round | variant | fwd/s | server CPU us/fwd | alloc B/fwd (media loop) | p50 ms | p99 ms | p99.9 ms | loss %")
rc = []
for r in sorted({int(m.group(1)) for f in glob.glob(prefix + "load-base-*.json") for m in [re.search(r"-(\d+)\.json$", f)] if m}):
    row = {}
    for v in ("base", "new"):
        p = f"{prefix}load-{v}-{r}.json"
        if not os.path.exists(p):
            continue
        x = load(p); row[v] = x
        print(f"{r} | {v} | {x['fwd']:.0f} | {x['cpu']:.2f} | {x['alloc']:.0f} ({x['loop']:.1f}) | {x['p50']:.3f} | {x['p99']:.3f} | {x['p999']:.3f} | {x['loss']:.3f}")
    if len(row) == 2:
        rc.append(row['new']['cpu'] / row['base']['cpu'])
        print(f"{r} | new/base CPU | {rc[-1]:.3f}")
if rc:
    print(f"geometric mean of new/base CPU per round: {statistics.geometric_mean(rc):.3f}")

print()
print("fanOut (10 receivers) by thread CPU time (FanOutCpuTime), per forwarded packet: median of 10 batches of 10,000 calls")
print("round | base ns | new ns | new/base | base B | new B | cpu/wall base, new")
cr = []
for r in sorted({int(m.group(1)) for f in glob.glob(prefix + "cpu-base-*.txt") for m in [re.search(r"-(\d+)\.txt$", f)] if m}):
    vals = {}
    for v in ("base", "new"):
        p = f"{prefix}cpu-{v}-{r}.txt"
        m = os.path.exists(p) and re.search(r"cpu ns/fwd median ([\d.]+) min ([\d.]+) max ([\d.]+) \| B/fwd median ([\d.]+) \| cpu/wall ([\d.]+)", open(p).read())
        if m:
            vals[v] = [float(x) for x in m.groups()]
    if len(vals) == 2:
        cr.append(vals['new'][0] / vals['base'][0])
        print(f"{r} | {vals['base'][0]:.1f} | {vals['new'][0]:.1f} | {cr[-1]:.3f} | {vals['base'][3]:.2f} | {vals['new'][3]:.2f} | {vals['base'][4]:.2f}, {vals['new'][4]:.2f}")
if cr:
    print(f"geometric mean new/base: {statistics.geometric_mean(cr):.3f} (min {min(cr):.3f}, max {max(cr):.3f}, {len(cr)} rounds)")
