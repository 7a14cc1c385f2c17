#!/usr/bin/env bash
# Three rotations on fresh sandboxes, each read back by pymongo with ONLY the target provider:
#   local → kmip, aws → aws (the next CMK), local → a new local key file (REWRAP each).
# Before each, every value is decrypted with the source provider and its plaintext recorded; after,
# every value must decrypt with the target alone and be identical. Exits non-zero on any difference.
#   bench/peer/rotations.sh [--docs N]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
docs=200
[[ "${1:-}" == --docs ]] && docs="$2"
[[ -f "$repo/target/keyshift.jar" ]] || (cd "$repo" && mvn -B -q -DskipTests package)
workdir="$(mktemp -d -t keyshift-rotations-XXXXXX)"
jar="$workdir/keyshift.jar"
cp "$repo/target/keyshift.jar" "$jar"
sandbox_pid=""
trap '[[ -n "$sandbox_pid" ]] && kill -TERM "$sandbox_pid" 2>/dev/null; wait' EXIT

start_sandbox() {
  dir="$workdir/$1"
  java -jar "$jar" sandbox --dir "$dir" --docs "$docs" >"$workdir/$1.log" 2>&1 &
  sandbox_pid=$!
  until grep -q "Press Ctrl-C" "$workdir/$1.log"; do
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$workdir/$1.log"; exit 1; }
    sleep 1
  done
  info="$dir/sandbox.json"
  uri="$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['mongodbUri'])" "$info")"
  field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); [d:=d[k] for k in sys.argv[2].split('.')]; print(d)" "$info" "$1"; }
  export AWS_ACCESS_KEY_ID="$(field aws.migrator.accessKeyId)" AWS_SECRET_ACCESS_KEY="$(field aws.migrator.secretAccessKey)"
}
stop_sandbox() { kill -TERM "$sandbox_pid"; wait "$sandbox_pid" || true; sandbox_pid=""; }
read_back() { "$here/run.sh" read-back "$info" "$@"; }
migrate() {
  echo "+ keyshift migrate --strategy rewrap $*"
  java -jar "$jar" migrate --uri "$uri" --strategy rewrap --yes --backup "$dir/backup-$RANDOM.json" \
    --report "$dir/reports" "$@" 2>&1 | grep -E "^(Plan|Done|Preflight)|✓|✗"
}

echo "== local → kmip"
start_sandbox kmip
read_back --provider local --write-snapshot "$dir/before.json" | tail -1
migrate --local-key "$(field localKeyFile)" --to kmip --kmip-endpoint "$(field kmip.endpoint)" \
  --kmip-ca-file "$(field kmip.caFile)" --kmip-client-cert "$(field kmip.clientCertFile)"
read_back --provider kmip --snapshot "$dir/before.json" | grep -E "^(key vault|total|compared)"
stop_sandbox

echo "== aws → aws (the next CMK)"
start_sandbox aws
read_back --provider local --write-snapshot "$dir/before.json" | tail -1
aws_options=(--region "$(field aws.region)" --endpoint "$(field aws.endpoint)" --kms-ca-file "$(field aws.caFile)")
migrate --local-key "$(field localKeyFile)" --to aws --cmk "$(field aws.cmkArn)" "${aws_options[@]}"
migrate --source-provider aws --to aws --cmk "$(field aws.nextCmkArn)" "${aws_options[@]}"
read_back --provider aws --snapshot "$dir/before.json" | grep -E "^(key vault|total|compared)"
stop_sandbox

echo "== local → a new local key file"
start_sandbox local
read_back --provider local --write-snapshot "$dir/before.json" | tail -1
java -jar "$jar" local-key new "$dir/new-master-key.bin" >/dev/null
migrate --local-key "$(field localKeyFile)" --to local --new-local-key "$dir/new-master-key.bin"
read_back --provider local --local-key "$dir/new-master-key.bin" --snapshot "$dir/before.json" | grep -E "^(key vault|total|compared)"
stop_sandbox
echo "All three rotations read back identical with only the target provider. Sandboxes: $workdir"
