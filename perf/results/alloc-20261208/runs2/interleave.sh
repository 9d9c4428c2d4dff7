#!/usr/bin/env bash
# Second pass (admin snapshot, audio subscriptions): base / new / base / new, default server JVM options, 20 s
# warm-up, 20 s window, no floor loop. base = main at 7308d1f (/work/wt/alloc2-base), new = h-alloc2 at d36bc80
# (/work/wt/alloc2-new, a detached worktree of the branch so that editing the branch did not rebuild what was measured).
set -u
out=/tmp/alloc2-runs
mkdir -p $out
for round in 1 2; do
  for side in base new; do
    dir=/work/wt/alloc2-$side
    (cd $dir && perf/run load --scenario 4x10 --seconds 20 --warmup 20 --no-floor --out $out/$side-$round) > $out/$side-$round.log 2>&1
    echo "$side-$round $(grep -h 'allocated B/forwarded\|of which on the media loop\|forwarded packets/s' $out/$side-$round.log | tr -s ' ' | tr '\n' ';')"
  done
done
