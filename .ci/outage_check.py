#!/usr/bin/python3
"""The database-outage check of `make test` (issue 14, item 3).

Starts a PostgreSQL of its own (initdb in a temporary folder, a free loopback port), migrates it,
loads the demo data and serves `chuqing serve` on it with the shipped settings. Four township
liaisons' phones send leads (POST /api/v1/leads, each with its Idempotency-Key; a phone that gets
anything but an acknowledgement sends the same lead again, as liaison.js does). After a few
seconds PostgreSQL is stopped (`pg_ctl stop -m fast`), left down, and started again. Checks:

- during the outage every answer is 503 `database_unavailable` with `Retry-After`, within the
  database deadline (CHUQING_DATABASE_TIMEOUT_SECONDS) plus 1 s; no 500, no dropped connection;
  a login, the director's tip list and the public notices page (in Chinese) say the same;
- the public notices page, opened in headless Chromium at 360 px during the outage, is the Chinese
  503 page and fits the screen;
- the first acknowledged lead comes within 2 s of PostgreSQL accepting connections again;
- every acknowledged lead is stored, and no lead is stored twice.

Prints the figures; exits 1 on any failure. Run by .ci/test-all after the Swift suite.
"""
import glob
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "debug", "chuqing")
PHONES = 4
DEADLINE = 5  # seconds: ServerConfiguration.databaseTimeout, the shipped default
WARM, DOWN, AFTER = 3.0, 6.0, 4.0  # seconds of load before, during and after the outage


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: [int(x) for x in p.split("/")[4].split(".")])
        if not bins:
            raise SystemExit("outage check: PostgreSQL server binaries not found (apt-get install postgresql)")
        self.bin = bins[-1]
        self.dir = tempfile.mkdtemp(prefix="chuqing-outage-pg-")
        self.port = free_port()
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.run("initdb", "-D", self.dir + "/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")

    def run(self, tool, *args):
        command = [os.path.join(self.bin, tool), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        self.run("pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/server.log", "-w", "-t", "30",
                 "-o", "-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off" % (self.port, self.dir), "start")

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", self.dir + "/data", "-m", mode, "-w", "stop")

    def psql(self, database, sql):
        out = subprocess.run([os.path.join(self.bin, "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database,
                              "-Atc", sql], check=True, capture_output=True, text=True)
        return [line for line in out.stdout.split("\n") if line]

    def remove(self):
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def call(base_port, method, path, body=None, token=None, headers=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", base_port, timeout=timeout)
    all_headers = dict(headers or {})
    if body is not None:
        all_headers["Content-Type"] = "application/json"
    if token:
        all_headers["Authorization"] = "Bearer " + token
    started = time.monotonic()
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=all_headers)
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    return answer.status, dict(answer.getheaders()), data, time.monotonic() - started


class Phone(threading.Thread):
    """One liaison's phone: sends leads, and sends a lead again until it is acknowledged."""

    def __init__(self, number, port, token, debtors, stop):
        super().__init__(daemon=True)
        self.number, self.port, self.token, self.debtors, self.stop = number, port, token, debtors, stop
        self.answers = []  # (sent, done, status, code, retry_after, lead id, key)

    def run(self):
        connection = None
        counter, pending = 0, None
        while not self.stop.is_set():
            if pending is None:
                counter += 1
                key = "outage-%d-%d" % (self.number, counter)
                pending = (key, {"debtorId": self.debtors[counter % len(self.debtors)], "kind": "whereabouts", "text": "停库测试线索 " + key})
            key, body = pending
            sent = time.monotonic()
            status, code, retry, lead = None, None, None, None
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                connection.request("POST", "/api/v1/leads", body=json.dumps(body), headers={
                    "Content-Type": "application/json", "Authorization": "Bearer " + self.token, "Idempotency-Key": key})
                answer = connection.getresponse()
                data = answer.read()
                status, retry = answer.status, answer.getheader("Retry-After")
                parsed = json.loads(data) if data else {}
                code = parsed.get("error", {}).get("code")
                lead = parsed.get("id")
            except (OSError, http.client.HTTPException, ValueError) as error:
                code = "connection: %r" % error
                connection = None
            self.answers.append((sent, time.monotonic(), status, code, retry, lead, key))
            if status in (200, 201):
                pending = None
            else:
                time.sleep(0.1)  # the phone tries again soon (liaison.js waits longer; this is a test)


def outage_page(port):
    """Opens /notices in headless Chromium at 360 px during the outage: the Chinese 503 page, no
    sideways scrolling. Returns "ok …" or what was wrong; the screenshot goes to artifacts/browser/."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import browser_check
    from selenium.webdriver.common.by import By
    driver = browser_check.browser(360, 740)
    try:
        driver.get("http://127.0.0.1:%d/notices" % port)
        heading = driver.find_element(By.TAG_NAME, "h1").text
        wide = driver.execute_script("return document.documentElement.scrollWidth")
        os.makedirs(browser_check.ARTIFACTS, exist_ok=True)
        driver.save_screenshot(os.path.join(browser_check.ARTIFACTS, "outage-notices-phone.png"))
        if "系统暂时无法使用" not in heading:
            return "heading %r" % heading
        if wide > 360:
            return "%d px wide" % wide
        return "ok (%s, %d px wide)" % (heading, wide)
    finally:
        driver.quit()


def main():
    if not os.access(BIN, os.X_OK):
        raise SystemExit("outage check: build first (swift build)")
    postgres = Postgres()
    server = None
    failures = []
    try:
        postgres.start()
        postgres.psql("postgres", "CREATE DATABASE chuqing_outage")
        env = dict(os.environ, DATABASE_URL="postgres://postgres@127.0.0.1:%d/chuqing_outage?sslmode=disable" % postgres.port,
                   CHUQING_LOG_LEVEL="error")
        env.pop("CHUQING_DATABASE_TIMEOUT_SECONDS", None)
        subprocess.run([BIN, "migrate"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run([BIN, "demo", "load"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        log = open(os.path.join(postgres.dir, "serve.log"), "w")
        server = subprocess.Popen([BIN, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
        for _ in range(150):
            try:
                if call(port, "GET", "/readyz", timeout=1)[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("outage check: the server did not become ready")

        def login(username):
            status, _, data, _ = call(port, "POST", "/api/v1/sessions", {"username": username, "password": username + "-demo-2026"})
            assert status == 201, (username, status, data)
            return json.loads(data)["token"]

        liaison, director = login("liaison"), login("director")
        status, _, data, _ = call(port, "GET", "/api/v1/liaison/debtors", token=liaison)
        debtors = [d["id"] for d in json.loads(data)["items"]]
        assert debtors, "the demo liaison has no debtors"

        stop = threading.Event()
        phones = [Phone(n, port, liaison, debtors, stop) for n in range(1, PHONES + 1)]
        for phone in phones:
            phone.start()
        time.sleep(WARM)
        stopped = time.monotonic()
        postgres.stop("fast")
        down_at = time.monotonic()
        time.sleep(1.0)
        # the three requests the issue names, during the outage
        named = {
            "POST /api/v1/sessions": call(port, "POST", "/api/v1/sessions", {"username": "judge", "password": "judge-demo-2026"}),
            "GET /api/v1/tips": call(port, "GET", "/api/v1/tips", token=director),
            "GET /notices": call(port, "GET", "/notices"),
        }
        # and what a person sees: the page in a real browser on a phone
        page_seen = outage_page(port)
        time.sleep(max(0.0, DOWN - (time.monotonic() - down_at)))
        postgres.start()
        up = time.monotonic()
        time.sleep(AFTER)
        stop.set()
        for phone in phones:
            phone.join(timeout=DEADLINE + 35)

        answers = sorted((a for phone in phones for a in phone.answers), key=lambda a: a[0])
        # requests sent after PostgreSQL was told to stop and answered before it was back; those
        # already in flight when it stopped may still have been acknowledged
        during = [a for a in answers if a[0] >= stopped and a[1] <= up]
        others = [a for a in answers if a[2] not in (200, 201, 503)]
        bad_during = [a for a in during if (a[2] != 503 or a[3] != "database_unavailable" or not a[4])
                      and not (a[2] in (200, 201) and a[0] < down_at)]
        latencies = [a[1] - a[0] for a in during]
        first_ok = next((a[1] for a in answers if a[0] >= up and a[2] in (200, 201)), None)
        # the first acknowledgement after PostgreSQL accepted connections again, counted from then
        recovery = None if first_ok is None else first_ok - up
        for what, (status, headers, data, elapsed) in named.items():
            text = data.decode("utf-8", "replace")
            ok = status == 503 and headers.get("Retry-After") and elapsed <= DEADLINE + 1
            ok = ok and ("系统暂时无法使用" in text if what == "GET /notices" else '"database_unavailable"' in text)
            print("outage: %s → %s in %.0f ms, Retry-After %s" % (what, status, elapsed * 1000, headers.get("Retry-After")))
            if not ok:
                failures.append("%s during the outage answered %s: %s" % (what, status, text[:200]))

        print("outage: the notices page in Chromium at 360 px: %s" % page_seen)
        if not page_seen.startswith("ok"):
            failures.append("the page during the outage: " + page_seen)

        acknowledged = {}
        created_twice = 0
        for a in answers:
            if a[2] in (200, 201):
                if a[2] == 201 and a[5] in acknowledged:
                    created_twice += 1
                acknowledged[a[5]] = a[6]
        rows = postgres.psql("chuqing_outage", "SELECT id || ' ' || idempotency_key FROM leads WHERE idempotency_key LIKE 'outage-%'")
        stored = dict(row.split(" ", 1) for row in rows)
        keys = list(stored.values())
        missing = [lead for lead in acknowledged if lead not in stored]
        twice = len(keys) - len(set(keys))
        unanswered = len(set(keys)) - len(set(acknowledged.values()))

        print("outage: %d phones; PostgreSQL stopped %.1f s after the start (pg_ctl took %.2f s), down for %.1f s" %
              (PHONES, WARM, down_at - stopped, up - down_at))
        if latencies:
            refused = sum(1 for a in during if a[2] == 503)
            print("outage: %d requests during it: %d × 503 database_unavailable with Retry-After, %d acknowledged before the server went, "
                  "%d other; p50 %.0f ms, p90 %.0f ms, max %.0f ms" %
                  (len(during), refused, len(during) - refused - len(bad_during), len(bad_during), statistics.median(latencies) * 1000,
                   sorted(latencies)[int(len(latencies) * 0.9)] * 1000, max(latencies) * 1000))
        print("outage: first acknowledged lead %s after PostgreSQL accepted connections again" %
              ("%.2f s" % recovery if recovery is not None else "never"))
        print("outage: %d leads acknowledged, %d stored under %d keys; acknowledged but not stored: %d; stored twice: %d; "
              "created twice: %d; stored but never acknowledged (the phone gave up when the test ended): %d" %
              (len(acknowledged), len(stored), len(set(keys)), len(missing), twice, created_twice, unanswered))
        if not during:
            failures.append("no request was answered during the outage")
        if bad_during:
            failures.append("%d answers during the outage were not 503 database_unavailable with Retry-After, e.g. %r" %
                            (len(bad_during), bad_during[:3]))
        if latencies and max(latencies) > DEADLINE + 1:
            failures.append("an answer during the outage took %.1f s (deadline %d s)" % (max(latencies), DEADLINE))
        if others:
            failures.append("%d answers were neither an acknowledgement nor 503, e.g. %r" % (len(others), others[:3]))
        if recovery is None or recovery > 2.0:
            failures.append("no lead was acknowledged within 2 s of PostgreSQL's return (%s)" % recovery)
        if missing or twice or created_twice:
            failures.append("acknowledged leads not stored once: %d missing, %d stored twice, %d created twice" % (len(missing), twice, created_twice))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        postgres.remove()
    for failure in failures:
        print("outage: FAILED: " + failure)
    print("outage check: %s" % ("passed" if not failures else "%d failed" % len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
