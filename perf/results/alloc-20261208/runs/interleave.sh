#!/usr/bin/env bash
# base / new / base / new, default server JVM options, 20 s warm-up, 20 s window, no floor loop.
set -u
out=/tmp/alloc-runs/ab
mkdir -p $out
for round in 1 2; do
  for side in base new; do
    dir=/work/wt/alloc; [ $side = base ] && dir=/work/wt/alloc-base
    (cd $dir && perf/run load --scenario 4x10 --seconds 20 --warmup 20 --no-floor --out $out/$side-$round) > $out/$side-$round.log 2>&1
    echo "$side-$round $(grep -h 'allocated B/forwarded\|of which on the media loop\|forwarded packets/s' $out/$side-$round.log | tr -s ' ' | tr '\n' ';')"
  done
done
