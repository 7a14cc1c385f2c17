#!/usr/bin/env bash
# Regenerates screenshots/audit-report.png: the HTML report of `keyshift audit` on a fresh sandbox,
# rendered by headless Chromium. Needs: apt-get install chromium; run after `mvn package`.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
java -jar target/keyshift.jar sandbox --dir "$work/sandbox" >"$work/sandbox.log" 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true; wait $sandbox 2>/dev/null || true; rm -rf "$work"' EXIT
until grep -q "Press Ctrl-C" "$work/sandbox.log"; do
  kill -0 $sandbox 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
  sleep 2
done
# The sandbox's coordinates and throwaway credentials, from its sandbox.json.
eval "$(python3 - "$work/sandbox/sandbox.json" <<'PY'
import json, shlex, sys
info = json.load(open(sys.argv[1]))
aws = info["aws"]
values = {"URI": info["mongodbUri"], "LOCAL_KEY": info["localKeyFile"], "SCHEMA": info["schemaMapFile"],
          "REGION": aws["region"], "ENDPOINT": aws["endpoint"], "CA": aws["caFile"],
          "AWS_ACCESS_KEY_ID": aws["migrator"]["accessKeyId"], "AWS_SECRET_ACCESS_KEY": aws["migrator"]["secretAccessKey"]}
for name, value in values.items():
    print(f"export {name}={shlex.quote(value)}")
PY
)"
java -jar target/keyshift.jar audit --uri "$URI" --local-key "$LOCAL_KEY" --schema-file "$SCHEMA" --region "$REGION" \
  --endpoint "$ENDPOINT" --kms-ca-file "$CA" --report "$work/report" >/dev/null
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1900 \
  --screenshot="$PWD/screenshots/audit-report.png" "file://$(ls "$work"/report/*.html)" 2>/dev/null
