#!/bin/bash
# Records the first decrypted RTP/RTCP packets a real headless Chromium sends to Prism (PacketCapture, a main class in
# test scope), for sfu-rtp's parser fixtures: see sfu-rtp/src/test/resources/captures/CAPTURED.md.
#
#   tools/packet-capture/run.sh [out.txt] [seconds] [vp8|h264]   (defaults: target/capture/chromium-packets.txt in the
#                                                              module, 12, vp8: the video codec Prism negotiates)
#
# Needs Debian's chromium and chromium-driver, like the browser tests; takes about 20 s after the build. Compiles the
# module's tests offline (test-compile, never install) and runs the class with its test class path.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
# Wherever the class lives now (it may move between modules): <module>/src/test/java/<package path>/PacketCapture.java
SRC=$(ls */src/test/java/dev/prism/*/capture/PacketCapture.java 2>/dev/null | head -1)
[ -n "$SRC" ] || { echo "PacketCapture.java not found under */src/test/java/dev/prism/*/capture/" >&2; exit 1; }
MODULE=${SRC%%/src/test/java/*}
CLASS=$(echo "${SRC#*/src/test/java/}" | sed 's#\.java$##; s#/#.#g')
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -B -q -o -pl "$MODULE" -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
OUT=$(realpath -m "${1:-$MODULE/target/capture/chromium-packets.txt}")
mkdir -p "$(dirname "$OUT")"
cd "$MODULE"
java -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" "$CLASS" "$OUT" "${2:-12}" "${3:-vp8}"
echo "wrote $OUT"
