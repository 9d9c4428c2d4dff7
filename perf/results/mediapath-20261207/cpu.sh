#!/bin/bash
# ForwardingBenchmark.fanOut (10 receivers) by thread CPU time (FanOutCpuTime.java, compiled to /tmp/cpuharness),
# base and new alternating ABBA. For a machine too loaded for JMH's wall-clock figures.
set -u
BASE=${BASE:-/work/wt/base}
NEW=${NEW:-/tmp/tcpload-snap/new}
OUT=${OUT:-$(cd "$(dirname "$0")" && pwd)}
ROUNDS=${ROUNDS:-3}
ghash="--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED"
cp_of() { echo "/tmp/cpuharness:$1/perf/target/perf-0.1.0-SNAPSHOT.jar:$1/perf/target/lib/*"; }
for round in $(seq "${START:-1}" "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then order="base new"; else order="new base"; fi
  for v in $order; do
    if [ $v = base ]; then d=$BASE; else d=$NEW; fi
    echo "$(date -u +%T) cpu $v $round load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/timeline.txt"
    timeout 400 java $ghash -Xms256m -Xmx256m -Dio.netty.leakDetection.level=disabled -cp "$(cp_of "$d")" \
      FanOutCpuTime > "$OUT/cpu-$v-$round.txt" 2>&1
  done
done
echo "$(date -u +%T) cpu done load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/timeline.txt"
