#!/bin/bash
# ICE-TCP against UDP: server CPU per forwarded packet and latency, legs alternating on one Prism process.
# TREE points at a tree whose perf/target holds the built perf jar and lib/ (java started as perf/run does).
set -u
TREE=${TREE:-/tmp/tcpload-snap/tcp}
OUT=${OUT:-$(cd "$(dirname "$0")" && pwd)}
RUN=${RUN:-1}
ROUNDS=${ROUNDS:-3}
ghash="--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
echo "$(date -u +%T) run $RUN start load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/timeline.txt"
timeout 900 java $ghash -Xms512m -Xmx1g -cp "$TREE/perf/target/perf-0.1.0-SNAPSHOT.jar:$TREE/perf/target/lib/*" \
  dev.prism.perf.load.LoadMain --transport both --rounds "$ROUNDS" --scenario 4x10 --seconds 20 --warmup 20 \
  --out "/tmp/transport-run$RUN" > "$OUT/run$RUN.txt" 2>&1
echo "rc=$?" >> "$OUT/run$RUN.txt"
cp /tmp/transport-run$RUN/transport-*.json "$OUT/run$RUN.json" 2>/dev/null
echo "$(date -u +%T) run $RUN done load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/timeline.txt"
