#!/bin/bash
# usage: run-firefox.sh URL WAITFILE ; runs headless firefox-esr (fresh profile, fake media) until WAITFILE appears in
# out/ (max 60 s). Needs the test driver's node_modules: (cd prism-server/src/test/firefox && npm ci).
DRIVER=$(cd "$(dirname "$0")/../../../../../../prism-server/src/test/firefox" && pwd)/firefox-participant.mjs
UD=$(mktemp -d)
{
  echo "{\"id\":1,\"cmd\":\"open\",\"url\":\"$1\"}"
  for i in $(seq 1 120); do [ -f "out/$2" ] && break; [ -f out/error.txt ] && break; sleep 0.5; done
  echo '{"id":2,"cmd":"close"}'
} | node "$DRIVER" /usr/bin/firefox-esr "$UD" >firefox.log 2>&1
rm -rf "$UD"
