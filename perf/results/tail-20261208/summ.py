import json,glob,os,sys
d=sys.argv[1]
rows=[]
for f in sorted(glob.glob(d+'/*.json'), key=os.path.getmtime):
    j=json.load(open(f))
    legs=[j] if 'latencyMillis' in j else [j[k] for k in ('prism','janus') if k in j]
    for p in legs:
        l=p['latencyMillis']['all']; c=p['cpu']; a=p.get('allocation') or {}
        print("%-45s %-6s w=%3s p50=%.3f p99=%.3f p999=%.3f max=%.1f cpu=%.2f floor=%s B/fwd=%s load=%s genGC=%s" % (
            os.path.basename(f)[:45], p['target'], p.get('warmupSeconds'), l['p50'], l['p99'], l['p999'], l['max'],
            c['serverMicrosPerForwarded'], c.get('ratioToFloor'), a.get('bytesPerForwarded'),
            p['machine']['loadAverage'], p.get('loadGenerator',{}).get('maxGcPauseMillis')))
