#!/bin/bash
# ForwardingBenchmark.fanOut (10 receivers) by thread CPU time: the review base 8ca96c1 against main, pacer off (the
# server's default) and on (the test kit's), alternating. Harness compiled to /tmp/cpuharness2.
set -u
BASE=${BASE:-/work/wt/rev-base}; NEW=${NEW:-/work/main}; OUT=$(cd "$(dirname "$0")" && pwd)
ghash="--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED"
cp_of() { echo "/tmp/cpuharness2:$1/perf/target/perf-0.1.0-SNAPSHOT.jar:$1/perf/target/lib/*"; }
run() { # name dir pacer round
  echo "$(date -u +%T) $1 $4 load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/timeline.txt"
  timeout 300 java $ghash -Xms256m -Xmx256m -Dio.netty.leakDetection.level=disabled -Dfanout.pacer=$3 \
    -cp "$(cp_of "$2")" FanOutCpuTime > "$OUT/cpu-$1-$4.txt" 2>&1
}
for r in 1 2; do
  if [ $r = 1 ]; then run base "$BASE" false $r; run new-off "$NEW" false $r; run new-on "$NEW" true $r
  else run new-on "$NEW" true $r; run new-off "$NEW" false $r; run base "$BASE" false $r; fi
done
