#!/usr/bin/python3
"""The snapshot connector (issue 4): loading a department's extract file and answering look-ups
from it. Release build, SQLite by default (PostgreSQL when CHUQING_TEST_POSTGRES_URL names a
server: run under .ci/with-postgres).

1. A ROWS-row extract of 水电气缴费 (valid generated citizen IDs, plus two rows for each of the
   demo's first 50 终本 debtors) is loaded with `chuqing import snapshot utilities FILE`, timed
   wall-clock, twice (the second replaces the first).
2. COUNT look-ups in a row of that category alone, answered from the extract: p50/p99 from the
   POST to `completed`, and every answer checked (the debtor's two rows, in file order).

    swift build -c release --product chuqing
    Benchmarks/snapshot-bench.py [--rows 200000] [--count 500]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module

bench = import_module("lookup-bench")
BIN = bench.BIN

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def citizen_id(rng):
    """A valid 18-character ID (GB 11643 check character), born 1950-1999, of 于都县 (360731): never a demo debtor of 兴国县."""
    body = "360731%04d%02d%02d%03d" % (rng.randint(1950, 1999), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 999))
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    if not os.access(BIN, os.X_OK):
        sys.exit("build first: swift build -c release --product chuqing")
    work = tempfile.mkdtemp(prefix="chuqing-snapshot-bench-")
    env, engine = bench.database_env(work, "chuqing_snapshot_bench")
    server = None
    try:
        subprocess.run([BIN, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([BIN, "demo", "load"], env=env, check=True, stdout=subprocess.DEVNULL)
        port = bench.free_port()
        server = subprocess.Popen([BIN, "serve", "--port", str(port)], env=dict(env, CHUQING_LOG_LEVEL="warning"),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = "http://127.0.0.1:%d" % port
        bench.wait_ready(base + "/readyz")
        admin = bench.call(base, "POST", "/api/v1/sessions", body={"username": "admin", "password": "admin-demo-2026"})["token"]
        director = bench.call(base, "POST", "/api/v1/sessions", body={"username": "director", "password": "director-demo-2026"})["token"]
        subjects = bench.call(base, "GET", "/api/v1/asset-lookups/due", director)["items"][:50]
        ids = {}
        for subject in subjects:
            case = bench.call(base, "GET", "/api/v1/cases/" + subject["caseId"], director)
            ids[subject["debtorId"]] = next(d["idNumber"] for d in case["debtors"] if d["id"] == subject["debtorId"])
        rng = random.Random(4)
        path = os.path.join(work, "utilities.csv")
        with open(path, "w", encoding="utf-8") as out:
            out.write("证件号码,姓名或名称,财产种类,描述,标识,价值（元）,权利人\n")
            for n in range(args.rows):
                out.write("%s,某某,水电气户,用电户，兴国县某乡镇,%d,,\n" % (citizen_id(rng), 3_600_000_000 + n))
            for debtor, id_number in ids.items():
                for k in (1, 2):
                    out.write("%s,被执行人,水电气户,用电户 %d,%s-%d,,\n" % (id_number, k, id_number, k))
        rows = args.rows + 2 * len(ids)
        size = os.path.getsize(path) / (1 << 20)
        for attempt in (1, 2):
            started = time.monotonic()
            subprocess.run([BIN, "import", "snapshot", "utilities", path], env=env, check=True, stdout=subprocess.DEVNULL)
            print("%s, load %d rows (%.1f MiB), %s: %.2f s (%.0f rows/s)"
                  % (engine, rows, size, "first" if attempt == 1 else "replacing the first", time.monotonic() - started,
                     rows / (time.monotonic() - started)))
        bench.call(base, "PATCH", "/api/v1/data-categories/utilities", admin, {"connector": "snapshot"})
        times = []
        for n in range(args.count):
            subject = subjects[n % len(subjects)]
            started = time.monotonic()
            lookup = bench.call(base, "POST", "/api/v1/asset-lookups", director,
                                {"caseId": subject["caseId"], "debtorId": subject["debtorId"], "legalBasis": "基准测试", "categories": ["utilities"]})
            while True:
                state = bench.call(base, "GET", "/api/v1/asset-lookups/" + lookup["id"], director)
                if state["status"] == "completed":
                    break
                time.sleep(0.002)
            times.append(time.monotonic() - started)
            answer = state["categories"][0]
            id_number = ids[subject["debtorId"]]
            assert answer["status"] == "answered", answer
            assert [f["identifier"] for f in answer["findings"]] == ["%s-1" % id_number, "%s-2" % id_number], answer["findings"]
        times.sort()
        print("%s, %d look-ups of the category answered from the %d-row extract: p50 %.1f ms, p99 %.1f ms, max %.1f ms (all answers checked)"
              % (engine, args.count, rows, times[len(times) // 2] * 1000, times[int(len(times) * 0.99) - 1] * 1000, times[-1] * 1000))
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
