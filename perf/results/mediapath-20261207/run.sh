#!/bin/bash
# Media path before/after: d8eb2e1 (before the IPv6 socket, the address-family check, bind-to-advertised and the
# PacketDemux split) against h-tcpload (e2333f6 media path), interleaved rounds in one sitting.
# BASE and NEW point at a tree whose perf/target holds the built perf jar and lib/ (java started directly, as perf/run does).
set -u
BASE=${BASE:-/work/wt/base}
NEW=${NEW:-/tmp/tcpload-snap/new}
OUT=${OUT:-$(cd "$(dirname "$0")" && pwd)}
ROUNDS=${ROUNDS:-3}
ITER=${ITER:-5}        # JMH measurement iterations (1 s each)
P=${PREFIX:-}          # file name prefix of this sitting, e.g. s2-
ghash="--add-opens=java.base/com.sun.crypto.provider=ALL-UNNAMED --enable-native-access=ALL-UNNAMED"
cp_of() { echo "$1/perf/target/perf-0.1.0-SNAPSHOT.jar:$1/perf/target/lib/*"; }
dir_of() { if [ "$1" = base ]; then echo "$BASE"; else echo "$NEW"; fi; }
for round in $(seq 1 "$ROUNDS"); do
  for v in base new; do
    d=$(dir_of $v)
    echo "$(date -u +%T) ${P}jmh $v $round load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/timeline.txt"
    (cd /tmp && timeout 300 java $ghash -cp "$(cp_of "$d")" dev.prism.perf.jmh.JmhMain 'ForwardingBenchmark.fanOut' \
      -p receivers=10 -f 1 -wi 3 -i "$ITER" -prof gc > "$OUT/${P}jmh-$v-$round.txt" 2>&1) # JmhMain also writes perf/results/ under /tmp
  done
  for v in new base; do
    d=$(dir_of $v)
    echo "$(date -u +%T) ${P}load $v $round load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/timeline.txt"
    timeout 300 java $ghash -Xms512m -Xmx1g -cp "$(cp_of "$d")" dev.prism.perf.load.LoadMain \
      --scenario 4x10 --seconds 20 --warmup 20 --no-floor --out "/tmp/mediapath-${P}load-$v-$round" > "$OUT/${P}load-$v-$round.txt" 2>&1
    cp /tmp/mediapath-${P}load-$v-$round/*.json "$OUT/${P}load-$v-$round.json" 2>/dev/null
  done
done
echo "$(date -u +%T) done load: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/timeline.txt"
