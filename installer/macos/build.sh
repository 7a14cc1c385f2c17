#!/usr/bin/env bash
# Builds KeyShift for macOS: a trimmed runtime (jlink) and a .dmg (jpackage).
# Not run by this project's CI, whose machines are Linux. Needs: a JDK 17+ for macOS (JAVA_HOME),
# Maven, Python 3, and the Xcode command-line tools (hdiutil, iconutil). Signing and notarisation are
# left to the release process (add --mac-sign and --mac-signing-key-user-name there).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/installer
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)

mvn -q -DskipTests package
rm -rf "$out" && mkdir -p "$out/input"
cp target/keyshift.jar "$out/input/"
python3 installer/icon/make-icon.py "$out/keyshift.png"
# jpackage wants an .icns on macOS: make one from the PNG with sips and iconutil.
mkdir -p "$out/keyshift.iconset"
sips -z 256 256 "$out/keyshift.png" --out "$out/keyshift.iconset/icon_256x256.png" >/dev/null
iconutil -c icns "$out/keyshift.iconset" -o "$out/keyshift.icns"

modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 target/keyshift.jar)
"$JAVA_HOME/bin/jlink" --add-modules "$modules,jdk.crypto.ec,jdk.naming.dns,jdk.unsupported,jdk.zipfs,java.naming,java.management,jdk.localedata" \
  --strip-debug --no-header-files --no-man-pages --compress=2 --output "$out/runtime"
"$JAVA_HOME/bin/jpackage" --type dmg --name KeyShift --app-version "$version" --vendor KeyShift \
  --description "Moves MongoDB client-side field level encryption from a local master key to AWS KMS" \
  --input "$out/input" --main-jar keyshift.jar --main-class io.keyshift.Launcher --runtime-image "$out/runtime" \
  --icon "$out/keyshift.icns" --mac-package-identifier io.keyshift --mac-package-name KeyShift --dest "$out"
echo "Built $out/KeyShift-$version.dmg"
