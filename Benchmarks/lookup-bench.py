#!/usr/bin/python3
"""Asset look-ups against the simulated exchange (issue 4), release build, SQLite by default
(PostgreSQL when CHUQING_TEST_POSTGRES_URL names a server: run under .ci/with-postgres).

1. One department never answers: a look-up over the 13 categories, every category's budget set
   to T ms, is timed from the POST to the moment it reads `completed` (polled every 5 ms).
   Reported: elapsed / T (goal <= 1.1), over R runs.
2. N look-ups in a row (each started when the previous one completed), the exchange answering
   every category after its latency: throughput, p50/p99 of start-to-completed, and the server's
   resident memory (VmRSS) after each quarter of the N look-ups.

    swift build -c release --product chuqing
    Benchmarks/lookup-bench.py [--timeout-ms 2000] [--runs 5] [--count 1000]
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "chuqing")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, method, path, token=None, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read() or b"null")


def wait_ready(url):
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("not ready: " + url)


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def database_env(work, name):
    """The environment for a benchmark's server: a fresh PostgreSQL database `name` when
    CHUQING_TEST_POSTGRES_URL names a server, else a SQLite file in `work`; and the engine's name."""
    env = dict(os.environ)
    if env.get("CHUQING_TEST_POSTGRES_URL"):
        admin = env.pop("CHUQING_TEST_POSTGRES_URL")
        subprocess.run(["psql", admin, "-qc", "DROP DATABASE IF EXISTS " + name, "-qc", "CREATE DATABASE " + name],
                       check=True, stdout=subprocess.DEVNULL)
        env["DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/" + name + "?sslmode=disable"
        return env, "PostgreSQL"
    env["DATABASE_URL"] = "sqlite:" + os.path.join(work, "bench.sqlite")
    return env, "SQLite"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout-ms", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit("build first: swift build -c release --product chuqing")
    work = tempfile.mkdtemp(prefix="chuqing-lookup-bench-")
    env, engine = database_env(work, "chuqing_lookup_bench")
    processes = []
    try:
        subprocess.run([BIN, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([BIN, "demo", "load"], env=env, check=True, stdout=subprocess.DEVNULL)
        sim_port, hang_port, port = free_port(), free_port(), free_port()
        # Two exchanges: one answering everything after 20 ms, one where 车辆登记 never answers.
        for p, extra in ((sim_port, []), (hang_port, ["--hang", "vehicles"])):
            processes.append(subprocess.Popen([BIN, "exchange-sim", "--port", str(p), "--default-latency", "20"] + extra,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_ready("http://127.0.0.1:%d/healthz" % p)

        def serve(exchange_port):
            server_env = dict(env, CHUQING_EXCHANGE_URL="http://127.0.0.1:%d" % exchange_port, CHUQING_LOG_LEVEL="warning")
            server = subprocess.Popen([BIN, "serve", "--port", str(port)], env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_ready("http://127.0.0.1:%d/readyz" % port)
            return server

        base = "http://127.0.0.1:%d" % port
        server = serve(hang_port)
        admin = call(base, "POST", "/api/v1/sessions", body={"username": "admin", "password": "admin-demo-2026"})["token"]
        director = call(base, "POST", "/api/v1/sessions", body={"username": "director", "password": "director-demo-2026"})["token"]
        for category in call(base, "GET", "/api/v1/data-categories", admin)["items"]:
            call(base, "PATCH", "/api/v1/data-categories/" + category["code"], admin, {"timeoutMilliseconds": args.timeout_ms, "retries": 1})
        subjects = call(base, "GET", "/api/v1/asset-lookups/due", director)["items"]
        if not subjects:
            sys.exit("no 终本 debtor to look up in the demo data")

        def look_up(subject):
            started = time.monotonic()
            lookup = call(base, "POST", "/api/v1/asset-lookups", director,
                          {"caseId": subject["caseId"], "debtorId": subject["debtorId"], "legalBasis": "基准测试"})
            while True:
                state = call(base, "GET", "/api/v1/asset-lookups/" + lookup["id"], director)
                if state["status"] == "completed":
                    return time.monotonic() - started, state
                time.sleep(0.005)

        ratios = []
        for run in range(args.runs):
            elapsed, state = look_up(subjects[run % len(subjects)])
            statuses = {c["code"]: c["status"] for c in state["categories"]}
            assert statuses["vehicles"] == "timedOut", statuses
            ratios.append(elapsed / (args.timeout_ms / 1000))
        print("%s, one department never answers, budget %d ms, 13 categories: total / budget = %s (median %.3f)"
              % (engine, args.timeout_ms, ", ".join("%.3f" % r for r in ratios), statistics.median(ratios)))
        server.terminate()
        server.wait(timeout=30)

        server = serve(sim_port)
        director = call(base, "POST", "/api/v1/sessions", body={"username": "director", "password": "director-demo-2026"})["token"]
        times, memory = [], [(0, rss_kib(server.pid))]
        started = time.monotonic()
        for n in range(args.count):
            elapsed, state = look_up(subjects[n % len(subjects)])
            assert all(c["status"] == "answered" for c in state["categories"]), state["categories"]
            times.append(elapsed)
            if (n + 1) % max(1, args.count // 4) == 0:
                memory.append((n + 1, rss_kib(server.pid)))
        total = time.monotonic() - started
        times.sort()
        print("%s, %d look-ups in a row, 13 categories each, exchange latency 20 ms: %.1f look-ups/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms"
              % (engine, args.count, args.count / total, times[len(times) // 2] * 1000, times[int(len(times) * 0.99) - 1] * 1000, times[-1] * 1000))
        print("%s, server VmRSS: %s" % (engine, ", ".join("after %d: %.1f MiB" % (n, kib / 1024) for n, kib in memory)))
        server.terminate()
        server.wait(timeout=30)
    finally:
        for process in processes:
            # The hanging exchange holds its requests open, and a graceful stop would wait for them.
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
