#!/usr/bin/env bash
# Measures KeyShift against the pymongo peers on identical fresh sandboxes, runs alternated:
#   bench/peer/run.sh [rekey|rewrap|all] [run.py options, e.g. --docs 10000 --keys 500 --rounds 2]
#   bench/peer/run.sh read-back SANDBOX_JSON --provider P [--local-key F] [--write-snapshot F | --snapshot F]
# "all" runs REKEY at --docs 10000 and REWRAP at 500 and 2 000 keys. --kms-rtt-ms N puts the KMS N ms away
# (a delaying relay, latency_proxy.py, in front of it for both sides); by default it answers on loopback. profile-rekey and profile-rewrap
# run KeyShift alone under Flight Recorder and print wall time and CPU per phase (profile.py).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="${XDG_CACHE_HOME:-$HOME/.cache}/keyshift/bench-peer-venv-$(sha256sum "$here/requirements.txt" | cut -c1-12)"
if [[ ! -x "$venv/bin/python" ]]; then
  rm -rf "$venv.partial"
  python3 -m venv "$venv.partial"
  "$venv.partial/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  mv "$venv.partial" "$venv"
fi
# read-back decrypts every value of a sandbox with a client that knows one provider (read_back.py); no jar needed.
if [[ "${1:-}" == read-back ]]; then
  shift
  exec "$venv/bin/python" -u "$here/read_back.py" "$@"
fi
# KEYSHIFT_JAR measures another build (e.g. before a change); by default the repository's, built if missing.
source_jar="${KEYSHIFT_JAR:-$repo/target/keyshift.jar}"
[[ -f "$source_jar" ]] || (cd "$repo" && mvn -B -q -DskipTests package)
workdir="$(mktemp -d -t keyshift-peer-XXXXXX)"
# A copy, so a rebuild during the runs does not change what is measured.
jar="$workdir/keyshift.jar"
cp "$source_jar" "$jar"
job="${1:-all}"; shift || true
run() { "$venv/bin/python" -u "$here/run.py" --jar "$jar" --python "$venv/bin/python" --workdir "$workdir" "$@"; }
case "$job" in
  all) run --job rekey --docs 10000 "$@"; run --job rewrap --keys 500 --docs 10 "$@"; run --job rewrap --keys 2000 --docs 10 "$@" ;;
  rekey|rewrap) run --job "$job" "$@" ;;
  profile-rekey|profile-rewrap)
    "$venv/bin/python" -u "$here/profile.py" --job "${job#profile-}" --jar "$jar" --python "$venv/bin/python" \
      --workdir "$workdir" "$@" ;;
  *) echo "usage: $0 [rekey|rewrap|all|profile-rekey|profile-rewrap] [options]" >&2; exit 1 ;;
esac
echo "Sandboxes, outputs and recordings: $workdir"
