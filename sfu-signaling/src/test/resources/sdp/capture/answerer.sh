#!/bin/bash
# Waits for each publish offer posted by publish.html and writes Prism's answer next to it.
CP=/work/wt/sdp/sfu-core/target/classes:/work/wt/sdp/sfu-signaling/target/classes
for v in plain simulcast datachannel; do
  for i in $(seq 1 200); do [ -f out/pub-offer-$v.sdp ] && break; sleep 0.1; done
  java -cp $CP gen/Ans.java out/pub-offer-$v.sdp > answers/pub-answer-$v.tmp 2>answers/$v.log && mv answers/pub-answer-$v.tmp answers/pub-answer-$v.sdp
done
