#!/bin/bash
# The server JVM's heap setup against kdamond (the host's DAMON reclaim) and the latency tail.
cd /work/wt/verify
OUT=$(cat /work/notes/runs/tail.latest)
kd() { awk '{print $14+$15}' /proc/$(pgrep -x kdamond.0 | head -1)/stat; }
leg() { local n=$1; shift; local k0=$(kd) t0=$(date +%s)
  echo "$(date -u +%T) $n start load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT/timeline.txt
  perf/run load --scenario 4x10 --seconds 20 --out $OUT "$@" > $OUT/$n.txt 2>&1
  echo "$(date -u +%T) $n end kdamond_ticks=$(( $(kd) - k0 )) secs=$(( $(date +%s) - t0 ))" >> $OUT/timeline.txt; }
A="--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED"
leg p30-prismjvm-1 --warmup 30 --no-floor --server-args "--pacer off" --server-jvm "-XX:+UseZGC $A"
leg p30-nopretouch-1 --warmup 30 --no-floor --server-args "--pacer off" --server-jvm "-Xms512m -Xmx512m -XX:+UseZGC $A"
leg p30-off-2 --warmup 30 --no-floor --server-args "--pacer off"
leg p30-prismjvm-2 --warmup 30 --no-floor --server-args "--pacer off" --server-jvm "-XX:+UseZGC $A"
echo done3 >> $OUT/timeline.txt
