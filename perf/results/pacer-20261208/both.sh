#!/bin/bash
cd /work/wt/verify
OUT=/work/notes/runs/both-$(date +%H%M); mkdir -p $OUT; echo $OUT > /work/notes/runs/both.latest
kd() { awk '{print $14+$15}' /proc/$(pgrep -x kdamond.0 | head -1)/stat; }
leg() { local n=$1; shift; local k0=$(kd) t0=$(date +%s)
  echo "$(date -u +%T) $n start load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/timeline.txt
  perf/run load --target both --scenario 4x10 --seconds 30 --out $OUT "$@" > $OUT/$n.txt 2>&1
  echo "$(date -u +%T) $n end kdamond_ticks=$(( $(kd) - k0 )) secs=$(( $(date +%s) - t0 ))" >> $OUT/timeline.txt; }
leg both-off-w60 --warmup 60 --server-args "--pacer off"
leg both-on-w60 --warmup 60 --server-args "--pacer on"
echo done >> $OUT/timeline.txt
