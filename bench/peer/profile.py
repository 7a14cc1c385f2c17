"""Profiles one KeyShift migrate run on a fresh sandbox: wall time and CPU (KeyShift JVM, FerretDB, moto,
sampled from /proc) per phase, told apart by the lines the CLI prints, and a Flight Recorder recording
of the JVM. Started by profile.sh."""
import argparse
import os
import subprocess
import threading
import time

from run import Sandbox, keyshift_command, processes

# Before the journal entry exists, the CLI line that starts each phase; after it, the journal's stage.
LINES = [("Scanning every collection", "plan scan"), ("Plan:", "preflight"), ("Preflight passed", "backup, journal entry")]
STAGES = {"CREATING_KEYS": "key creation", "REENCRYPTING": "main pass", "CATCHING_UP": "catch-up pass",
          "FINAL_PASS": "final pass",
          "REWRAPPING": "rewrap", "VERIFYING": "verification", "DONE": "report, exit", "FAILED": "report, exit"}


def phase_of(line, current):
    for prefix, phase in LINES:
        if line.startswith(prefix):
            return phase
    return current


def cpu_by_role(jvm_pid, sandbox_pid):
    table = processes()
    children = {}
    for pid, (parent, _, _) in table.items():
        children.setdefault(parent, []).append(pid)
    cpu = {"KeyShift JVM": table.get(jvm_pid, (0, "", 0.0))[2], "FerretDB": 0.0, "moto": 0.0}
    todo = list(children.get(sandbox_pid, []))
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        cpu["FerretDB" if table[pid][1].startswith("ferretdb") else "moto"] += table[pid][2]
    return cpu


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--job", choices=["rekey", "rewrap"], required=True)
    parser.add_argument("--jar", required=True)
    parser.add_argument("--python", required=True)
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--keys", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--keyshift-option", action="append", default=[])
    args = parser.parse_args()
    args.jfr = True
    sandbox = Sandbox(args, os.path.join(args.workdir, f"profile-{args.job}"))
    try:
        if args.job == "rewrap":
            subprocess.run([args.python, os.path.join(os.path.dirname(__file__), "seed_keys.py"), sandbox.json,
                            str(args.keys)], check=True, env=dict(os.environ, PYTHONPATH=os.path.dirname(__file__)))
        aws = sandbox.info["aws"]["migrator"]
        env = dict(os.environ, AWS_ACCESS_KEY_ID=aws["accessKeyId"], AWS_SECRET_ACCESS_KEY=aws["secretAccessKey"])
        command = keyshift_command(args, sandbox)
        command.insert(1, f"-Dkeyshift.logDir={sandbox.directory}/logs")
        load = open("/proc/loadavg").read().split()[:3]
        started = time.monotonic()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        state = {"phase": "JVM start, connect"}
        samples = []  # (phase, cpu by role) every 0.5 s
        done = threading.Event()

        from pymongo import MongoClient
        journal = MongoClient(sandbox.info["mongodbUri"])[sandbox.info["keyVaultNamespace"].split(".")[0]]["keyshift_migrations"]
        boundaries = []  # (time, phase) where a phase starts

        def enter(phase):
            if phase != state["phase"]:
                state["phase"] = phase
                boundaries.append((time.monotonic(), phase))
                samples.append((phase, time.monotonic(), cpu_by_role(process.pid, sandbox.process.pid)))

        def sample():
            while not done.is_set():
                entry = journal.find_one({}, {"stage": 1})
                if entry and entry.get("stage") in STAGES:
                    enter(STAGES[entry["stage"]])
                samples.append((state["phase"], time.monotonic(), cpu_by_role(process.pid, sandbox.process.pid)))
                done.wait(0.5)

        sampler = threading.Thread(target=sample)
        sampler.start()
        boundaries.append((started, state["phase"]))
        with open(os.path.join(sandbox.directory, "keyshift.out"), "w") as out:
            for line in process.stdout:
                out.write(line)
                if not any(phase in STAGES.values() for _, phase in boundaries):
                    enter(phase_of(line.strip(), state["phase"]))
        process.wait()
        end = time.monotonic()
        done.set()
        sampler.join()
        samples.append((state["phase"], end, cpu_by_role(process.pid, sandbox.process.pid)))
        boundaries.sort()
        walls = {}
        order = []
        for (at, phase), (until, _) in zip(boundaries, boundaries[1:] + [(end, None)]):
            walls[phase] = walls.get(phase, 0) + until - at
            if phase not in order:
                order.append(phase)
    finally:
        sandbox.close()
    cpu = {}
    for (phase, _, before), (_, _, after) in zip(samples, samples[1:]):
        roles = cpu.setdefault(phase, {})
        for role in after:
            roles[role] = roles.get(role, 0) + max(0.0, after[role] - before[role])
    total = end - started
    print(f"KeyShift {args.job.upper()} on a fresh sandbox ({'--docs ' + str(args.docs) if args.job == 'rekey' else str(args.keys) + ' keys'}),"
          f" {total:.1f} s end to end; load average at the start {' '.join(load)}")
    print(f"{'phase':<26} {'wall s':>7} {'share':>6} {'JVM CPU s':>10} {'FerretDB CPU s':>15} {'moto CPU s':>11}")
    for phase in order:
        roles = cpu.get(phase, {})
        print(f"{phase:<26} {walls[phase]:>7.1f} {walls[phase] / total:>6.0%} {roles.get('KeyShift JVM', 0):>10.1f}"
              f" {roles.get('FerretDB', 0):>15.1f} {roles.get('moto', 0):>11.1f}")
    print(f"Flight recording: {sandbox.directory}/keyshift.jfr; log: {sandbox.directory}/logs/keyshift.log")


if __name__ == "__main__":
    main()
