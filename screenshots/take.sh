#!/usr/bin/env bash
# Regenerates screenshots/*.png: drives the real KeyShift window through its pages on a fresh sandbox,
# in a virtual X display (a real GTK window, not the headless test platform), one PNG per page.
# Needs: apt-get install xvfb libgtk-3-0 chromium. An optional LOOK_DIR argument also saves Source keys, Target KMS,
# Plan, Schema, Run and Verify at 1024x640 there, to look at.
set -euo pipefail
cd "$(dirname "$0")/.."
display=:${SCREENSHOT_DISPLAY:-97}
mvn -q -DskipTests package
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
export DISPLAY=$display
rm -f screenshots/*.png
java -Dprism.order=sw -cp target/keyshift.jar:target/test-classes io.keyshift.ui.ScreenshotTour screenshots "$@"
screenshots/audit-report.sh
