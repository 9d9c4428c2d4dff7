#!/bin/bash
# Quiet-machine legs, alternating; kdamond CPU ticks recorded per leg. Runs from the verify worktree (main).
cd /work/wt/verify
OUT=/work/notes/runs/tail-$(date +%H%M); mkdir -p $OUT; echo $OUT > /work/notes/runs/tail.latest
kd() { awk '{print $14+$15}' /proc/$(pgrep -x kdamond.0 | head -1)/stat; }
leg() { local n=$1; shift; local k0=$(kd) t0=$(date +%s)
  echo "$(date -u +%T) $n start load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/timeline.txt
  perf/run load --scenario 4x10 --seconds 20 --out $OUT "$@" > $OUT/$n.txt 2>&1
  echo "$(date -u +%T) $n end kdamond_ticks=$(( $(kd) - k0 )) secs=$(( $(date +%s) - t0 ))" >> $OUT/timeline.txt; }
leg p30-off-1 --warmup 30 --no-floor --server-args "--pacer off"
leg janus-1 --target janus --warmup 30
leg p120-off-1 --warmup 120 --server-args "--pacer off"
leg p120-on-1 --warmup 120 --no-floor --server-args "--pacer on"
leg janus-2 --target janus --warmup 30
leg p30-on-1 --warmup 30 --no-floor --server-args "--pacer on"
echo done >> $OUT/timeline.txt
