#!/bin/bash
# usage: run-firefox.sh URL WAITFILE ; runs headless firefox-esr (fresh profile, fake media) until WAITFILE appears in
# out/ (max 60 s). Drives Firefox with the browser tests' WebDriver BiDi driver (firefox-participant.mjs in
# <module>/src/test/firefox; PRISM_FIREFOX_DRIVER overrides), which needs its node_modules: (cd <that folder> && npm ci).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DRIVER=${PRISM_FIREFOX_DRIVER:-$(ls "$ROOT"/*/src/test/firefox/firefox-participant.mjs 2>/dev/null | head -1)}
[ -f "$DRIVER" ] || { echo "firefox-participant.mjs not found under $ROOT/*/src/test/firefox" >&2; exit 1; }
UD=$(mktemp -d)
{
  echo "{\"id\":1,\"cmd\":\"open\",\"url\":\"$1\"}"
  for i in $(seq 1 120); do [ -f "out/$2" ] && break; [ -f out/error.txt ] && break; sleep 0.5; done
  echo '{"id":2,"cmd":"close"}'
} | node "$DRIVER" /usr/bin/firefox-esr "$UD" >firefox.log 2>&1
rm -rf "$UD"
