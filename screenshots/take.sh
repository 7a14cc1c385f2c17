#!/usr/bin/env bash
# Regenerates screenshots/*.png from a real KeyShift window on a virtual X display, on a fresh sandbox.
# Needs: apt-get install xvfb libgtk-3-0 imagemagick
set -euo pipefail
cd "$(dirname "$0")/.."
display=:${SCREENSHOT_DISPLAY:-97}
sandbox_dir=$(mktemp -d)
mvn -q -DskipTests package
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
export DISPLAY=$display
java -Dkeyshift.sandbox.dir="$sandbox_dir" -jar target/keyshift.jar --sandbox >/dev/null 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; wait $app 2>/dev/null || true; kill $xvfb 2>/dev/null || true; rm -rf "$sandbox_dir"' EXIT
for _ in $(seq 1 600); do
  [ -f "$sandbox_dir/sandbox.json" ] && break
  sleep 1
done
[ -f "$sandbox_dir/sandbox.json" ] || { echo "the sandbox did not start" >&2; exit 1; }
sleep 3
import -window root -crop 1100x720+90+27 +repage screenshots/welcome.png
echo "wrote screenshots/welcome.png"
