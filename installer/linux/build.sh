#!/usr/bin/env bash
# Builds KeyShift for Linux: a trimmed Java runtime (jlink), an app image and, unless
# --app-image-only is given, a .deb (jpackage). Output: target/installer/.
set -euo pipefail
cd "$(dirname "$0")/../.."

app_image_only=false
[ "${1:-}" = "--app-image-only" ] && app_image_only=true

JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
out=target/installer
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)
started=$(date +%s)

mvn -q -DskipTests package
rm -rf "$out" && mkdir -p "$out/input"
cp target/keyshift.jar "$out/input/"
python3 installer/icon/make-icon.py "$out/keyshift.png"

# The JDK modules the jar needs, as jdeps finds them, plus those reached only by reflection or
# service loading (TLS with EC keys, DNS for mongodb+srv://, JNA for libmongocrypt, JMX for the driver, zip file systems).
modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 \
  target/keyshift.jar 2>/dev/null || echo "java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.scripting,java.sql,java.xml,jdk.jfr")
modules="$modules,jdk.crypto.ec,jdk.naming.dns,jdk.unsupported,jdk.zipfs,java.naming,java.management,jdk.localedata"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --output "$out/runtime"

common=(--name KeyShift --app-version "$version" --vendor KeyShift
  --description "Moves MongoDB client-side field level encryption from a local master key to AWS KMS"
  --input "$out/input" --main-jar keyshift.jar --main-class io.keyshift.Launcher
  --runtime-image "$out/runtime" --icon "$out/keyshift.png" --dest "$out")
"$JAVA_HOME/bin/jpackage" --type app-image "${common[@]}"

# Prove the image starts: --version runs the CLI, so no display is needed.
printed=$("$out/KeyShift/bin/KeyShift" --version)
case "$printed" in
  "KeyShift "*) echo "App image starts: $printed" ;;
  *) echo "The app image did not print its version (got: $printed)" >&2; exit 1 ;;
esac

if ! $app_image_only; then
  for tool in fakeroot objcopy; do
    command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq fakeroot binutils; break; }
  done
  "$JAVA_HOME/bin/jpackage" --type deb "${common[@]}" --linux-shortcut --linux-menu-group Development \
    --linux-app-category database --linux-package-name keyshift
fi

echo "App image: $(du -sh "$out/KeyShift" | cut -f1)  ($out/KeyShift)"
ls "$out"/*.deb >/dev/null 2>&1 && echo "Debian package: $(du -h "$out"/*.deb | cut -f1)  ($(ls "$out"/*.deb))"
echo "Built in $(( $(date +%s) - started )) s"
