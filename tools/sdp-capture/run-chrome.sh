#!/bin/bash
# usage: run-chrome.sh URL WAITFILE ; runs headless chromium until WAITFILE appears in out/ (max 40s)
# (out/ of the working directory, where server.py stores what the page posts; CHROMIUM overrides the browser path)
UD=$(mktemp -d)
${CHROMIUM:-/usr/bin/chromium} --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --user-data-dir=$UD --use-fake-device-for-media-stream --use-fake-ui-for-media-stream --remote-debugging-port=0 "$1" 2>chrome.err &
CPID=$!
for i in $(seq 1 80); do [ -f "out/$2" ] && break; [ -f out/error.txt ] && break; sleep 0.5; done
kill $CPID; wait $CPID 2>/dev/null
rm -rf $UD
