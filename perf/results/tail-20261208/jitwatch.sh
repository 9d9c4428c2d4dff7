#!/bin/bash
# Per-thread-group CPU of the load run's Prism server every 10 s: how long the JIT keeps compiling.
OUT=$1; SP=""
for i in $(seq 1 120); do SP=$(pgrep -f "dev.prism.server.Main" | head -1); [ -n "$SP" ] && break; sleep 1; done
T0=$(date +%s)
declare -A prev
while kill -0 $SP 2>/dev/null; do
  declare -A cur=()
  for t in /proc/$SP/task/*; do
    n=$(cat $t/comm 2>/dev/null | sed 's/[0-9 #-]*$//;s/ Thre.*//'); s=($(cat $t/stat 2>/dev/null | sed 's/.*) //'))
    [ -z "$n" ] && continue; cur[$n]=$(( ${cur[$n]:-0} + ${s[11]:-0} + ${s[12]:-0} ))
  done
  line="t=$(( $(date +%s) - T0 ))"
  for k in "C2 Compiler" "C1 Compiler" "prism-media" "C2 CompilerThre" "C1 CompilerThre"; do :; done
  for k in "${!cur[@]}"; do d=$(( ${cur[$k]} - ${prev[$k]:-0} )); [ $d -gt 0 ] && line="$line $k=$d"; prev[$k]=${cur[$k]}; done
  echo "$line" >> $OUT
  sleep 10
done
