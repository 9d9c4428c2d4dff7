#!/usr/bin/env bash
out=/tmp/alloc-runs/ab
for side in base new; do
  dir=/work/wt/alloc; [ $side = base ] && dir=/work/wt/alloc-base
  (cd $dir && perf/run load --scenario 4x10 --seconds 20 --warmup 20 --no-floor --out $out/$side-3) > $out/$side-3.log 2>&1
  echo "$side-3 $(grep -h 'allocated B/forwarded\|of which on the media loop\|forwarded packets/s' $out/$side-3.log | tr -s ' ' | tr '\n' ';')"
done
cd /work/wt/alloc && JVM="-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseZGC --add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED -XX:TLABSize=4k -XX:-ResizeTLAB -XX:StartFlightRecording=filename=/tmp/alloc-runs/new2-jfr.jfr,settings=profile,delay=20s,duration=15s"
perf/run load --scenario 4x10 --seconds 15 --warmup 20 --no-floor --server-jvm "$JVM" --out /tmp/alloc-runs/new2-jfr > /tmp/alloc-runs/new2-jfr.log 2>&1
echo "jfr $(grep -h 'allocated B/forwarded\|of which on the media loop' /tmp/alloc-runs/new2-jfr.log | tr -s ' ' | tr '\n' ';')"
