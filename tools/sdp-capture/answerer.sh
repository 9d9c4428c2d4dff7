#!/bin/bash
# Waits for each publish offer posted by publish.html (out/pub-offer-<variant>.sdp in the working directory) and
# writes Prism's answer next to it for the page to apply: answers/pub-answer-<variant>.sdp, made by Ans.java
# (PublishNegotiator.answer) with the classes of this checkout (build them first; PRISM_CLASSES overrides the path).
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CP=${PRISM_CLASSES:-$ROOT/sfu-core/target/classes:$ROOT/sfu-signaling/target/classes}
mkdir -p answers
for v in plain simulcast datachannel; do
  for i in $(seq 1 200); do [ -f out/pub-offer-$v.sdp ] && break; sleep 0.1; done
  java -cp "$CP" "$HERE/Ans.java" out/pub-offer-$v.sdp > answers/pub-answer-$v.tmp 2>answers/$v.log && mv answers/pub-answer-$v.tmp answers/pub-answer-$v.sdp
done
