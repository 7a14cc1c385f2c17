"""Runs KeyShift and the pymongo peer alternately, each on a fresh sandbox seeded identically, and
prints every run's wall time with the CPU of each process and the load average, then min/median per
side and the ratio. Started by run.sh, which prepares the virtualenv and the jar."""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TICK = os.sysconf("SC_CLK_TCK")


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def processes():
    """pid -> (parent pid, command name, CPU seconds) of every process we can read."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            table[int(entry)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / TICK)
    return table


def server_cpu(root):
    """CPU seconds of the sandbox's servers (descendants of its process), as {"ferretdb": s, "moto": s}."""
    table = processes()
    children = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    cpu = {"ferretdb": 0.0, "moto": 0.0}
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        _, name, seconds = table[pid]
        cpu["ferretdb" if name.startswith("ferretdb") else "moto"] += seconds
    return cpu


class Sandbox:
    def __init__(self, args, directory):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        self.log = open(os.path.join(directory, "sandbox.log"), "w")
        self.process = subprocess.Popen(["java", "-jar", args.jar, "sandbox", "--dir", directory, "--docs", str(args.docs),
                                         "--seed", str(args.seed)], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 900
        while "Sandbox ready" not in open(self.log.name).read():
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"The sandbox in {directory} did not start; see {self.log.name}")
            time.sleep(1)
        self.json = os.path.join(directory, "sandbox.json")
        with open(self.json) as f:
            self.info = json.load(f)

    def close(self):
        self.process.terminate()
        self.process.wait(120)
        self.log.close()


def keyshift_command(args, sandbox):
    info = sandbox.info
    aws = info["aws"]
    java = ["java"]
    if args.jfr:
        java.append(f"-XX:StartFlightRecording=filename={sandbox.directory}/keyshift.jfr,settings=profile")
    return java + ["-jar", args.jar, "migrate", "--strategy", args.job, "--uri", info["mongodbUri"],
                   "--local-key", info["localKeyFile"], "--region", aws["region"], "--cmk", aws["cmkArn"],
                   "--endpoint", aws["endpoint"], "--kms-ca-file", aws["caFile"],
                   "--backup", os.path.join(sandbox.directory, "backup.json"),
                   "--report", os.path.join(sandbox.directory, "reports"), "--yes"] \
        + (["--schema-file", info["schemaMapFile"]] if args.job == "rekey" else []) + args.keyshift_option


def peer_command(args, sandbox):
    return [args.python, os.path.join(HERE, f"{args.job}_peer.py"), sandbox.json]


def run_once(args, side, round_number):
    sandbox = Sandbox(args, os.path.join(args.workdir, f"{args.job}-{side}-{round_number}"))
    relay = None
    try:
        if args.job == "rewrap":
            subprocess.run([args.python, os.path.join(HERE, "seed_keys.py"), sandbox.json, str(args.keys)], check=True)
        relay = far_kms(args, sandbox)
        aws = sandbox.info["aws"]["migrator"]
        env = dict(os.environ, AWS_ACCESS_KEY_ID=aws["accessKeyId"], AWS_SECRET_ACCESS_KEY=aws["secretAccessKey"],
                   PYTHONPATH=HERE)
        command = keyshift_command(args, sandbox) if side == "keyshift" else peer_command(args, sandbox)
        load = load_average()
        servers_before = server_cpu(sandbox.process.pid)
        started = time.monotonic()
        with open(os.path.join(sandbox.directory, f"{side}.out"), "w") as out:
            process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        servers_after = server_cpu(sandbox.process.pid)
        output = open(out.name).read()
        if status != 0:
            sys.exit(f"{side} failed (status {status}); see {out.name}")
        return {"side": side, "round": round_number, "wall": wall, "items": items(args, side, output),
                "client_cpu": usage.ru_utime + usage.ru_stime,
                "ferretdb_cpu": servers_after["ferretdb"] - servers_before["ferretdb"],
                "moto_cpu": servers_after["moto"] - servers_before["moto"], "load": load}
    finally:
        if relay:
            relay.kill()
        sandbox.close()


def far_kms(args, sandbox):
    """With --kms-rtt-ms, puts latency_proxy.py between both sides and the sandbox's AWS KMS, and points the
    side's view of the sandbox (sandbox.info, and a sandbox.json copy for the peer) at it."""
    if not args.kms_rtt_ms:
        return None
    relay = subprocess.Popen([args.python, os.path.join(HERE, "latency_proxy.py"), "--to", sandbox.info["aws"]["endpoint"],
                              "--rtt-ms", str(args.kms_rtt_ms)], stdout=subprocess.PIPE, text=True)
    sandbox.info["aws"]["endpoint"] = f"127.0.0.1:{relay.stdout.readline().strip()}"
    sandbox.json = os.path.join(sandbox.directory, "sandbox-far-kms.json")
    with open(sandbox.json, "w") as f:
        json.dump(sandbox.info, f)
    return relay


def items(args, side, output):
    """Values converted (REKEY) or keys rewrapped (REWRAP), as each side reports them."""
    if side == "peer":
        result = json.loads(output.strip().splitlines()[-1])
        return result["values"] if args.job == "rekey" else result["keys"]
    pattern = r"Every value under a new key decrypts[^(]*\((\d+)/" if args.job == "rekey" \
        else r"Every migrated data key decrypts[^(]*\((\d+)/"
    match = re.search(pattern, output)
    return int(match.group(1)) if match else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--job", choices=["rekey", "rewrap"], required=True)
    parser.add_argument("--jar", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--keys", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--jfr", action="store_true")
    parser.add_argument("--keyshift-option", action="append", default=[])
    parser.add_argument("--kms-rtt-ms", type=float, default=0,
                        help="round trip added between both sides and the KMS (latency_proxy.py); 0: loopback")
    args = parser.parse_args()
    unit = "values" if args.job == "rekey" else "keys"
    size = f"--docs {args.docs}" if args.job == "rekey" else f"{args.keys} keys"
    kms = f"; KMS {args.kms_rtt_ms:g} ms away (round trip)" if args.kms_rtt_ms else ""
    print(f"{args.job.upper()} on identical sandboxes (--seed {args.seed}, {size}), {args.rounds} rounds, sides alternated{kms}")
    print(f"{'side':<9} {'round':>5} {'wall s':>8} {unit + '/s':>10} {'client CPU s':>13} {'FerretDB CPU s':>15}"
          f" {'moto CPU s':>11}   load average")
    runs = []
    for round_number in range(1, args.rounds + 1):
        sides = ["keyshift", "peer"] if round_number % 2 else ["peer", "keyshift"]
        for side in sides:
            run = run_once(args, side, round_number)
            runs.append(run)
            print(f"{side:<9} {round_number:>5} {run['wall']:>8.1f} {run['items'] / run['wall']:>10.0f}"
                  f" {run['client_cpu']:>13.1f} {run['ferretdb_cpu']:>15.1f} {run['moto_cpu']:>11.1f}   {run['load']}",
                  flush=True)
    walls = {side: [run["wall"] for run in runs if run["side"] == side] for side in ("keyshift", "peer")}
    for side, values in walls.items():
        print(f"{side:<9} wall min {min(values):.1f} s, median {statistics.median(values):.1f} s")
    pairs = [peer / keyshift for keyshift, peer in zip(walls["keyshift"], walls["peer"])]
    print(f"KeyShift ratio (peer wall / KeyShift wall): median of sides {statistics.median(walls['peer']) / statistics.median(walls['keyshift']):.2f}x,"
          f" per round {min(pairs):.2f}-{max(pairs):.2f}x; load average now {load_average()}")


if __name__ == "__main__":
    main()
