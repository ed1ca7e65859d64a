"""Web latency: the worklist and the member page on PostgreSQL with 200,000 members under 20 concurrent
clients (goal: p95 ≤ 150 ms, 0 errors), served by gunicorn on 127.0.0.1 only.

The database (BENCH_WEB_DATABASE_URL, default akasse_bench_web on 127.0.0.1) is filled once with the demo
slice (`akasse demo-data`: three a-kasser, conversations) and reused while it holds the same number of
members.
Each client runs a bounded loop of requests over its own connection (reopened when the server closes it, as
gunicorn's sync workers do after each response); the server is stopped at the end. Baseline, measured in the
same run and the same way: a trivial static file (the stylesheet, WhiteNoise).
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

from akasse.web import gunicorn_conf

MEMBERS = int(os.environ.get("BENCH_WEB_MEMBERS", "200000"))
CLIENTS = int(os.environ.get("BENCH_WEB_CLIENTS", "20"))
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_WEB_REQUESTS", "40"))
SOLO_REQUESTS = 30
DATABASE_URL = os.environ.get("BENCH_WEB_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/akasse_bench_web")
GOAL_P95_MS = 150.0
TODAY = "2021-06-15"  # the demo slice's day inside the trial (akasse.web.cases.demo.DEMO_TODAY)


def main() -> int:
    os.environ.update(
        DATABASE_URL=DATABASE_URL, DJANGO_SETTINGS_MODULE="akasse.web.settings", AKASSE_TODAY=TODAY
    )
    if urlparse(DATABASE_URL).scheme not in ("postgres", "postgresql"):
        print("bench_web measures PostgreSQL: set BENCH_WEB_DATABASE_URL=postgres://…")
        return 2
    ensure_database(DATABASE_URL)
    import django

    django.setup()
    session, member_ids = prepare_data()
    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="bench_web_")) / "gunicorn.log"
    server = start_server(port, log)
    try:
        wait_until_up(port)
        cookie = {"Cookie": f"sessionid={session}"}
        rng = random.Random(2020)
        filters = ["", "vis=overdue&", "vis=due_this_week&", "vis=notice&", "vis=awaiting_handover&"]
        targets: list[tuple[str, Callable[[], str], dict[str, str]]] = [
            ("baseline: static stylesheet", lambda: "/static/akasse/css/akasse.css", {}),
            (
                "worklist (filters, pages 1-5)",
                lambda: f"/arbejdsliste/?{rng.choice(filters)}side={rng.randint(1, 5)}",
                cookie,
            ),
            ("member page (random member)", lambda: f"/medlemmer/{rng.choice(member_ids)}/", cookie),
        ]
        run(
            port,
            [("warm-up", targets[1][1], cookie), ("warm-up", targets[2][1], cookie)],
            per_client=3,
            quiet=True,
        )
        load_before = os.getloadavg()[0]
        # Service time first (one client, no queueing), then the goal's load: CLIENTS clients at once.
        solo = run(port, targets, per_client=SOLO_REQUESTS, clients=1)
        results = run(port, targets, per_client=REQUESTS_PER_CLIENT, clients=CLIENTS)
        load_after = os.getloadavg()[0]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    ok = True
    print(
        f"\n{MEMBERS:,} members, {CLIENTS} concurrent clients × {REQUESTS_PER_CLIENT} requests, gunicorn "
        f"{gunicorn_conf.workers} sync workers (akasse.web.gunicorn_conf) on 127.0.0.1; "
        f"goal p95 ≤ {GOAL_P95_MS:.0f} ms and 0 errors"
    )
    print(f"load average (1 min): {load_before:.1f} before, {load_after:.1f} after, on {os.cpu_count()} CPUs")
    print(f"{'':48} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>8} {'errors':>7}")
    for clients, measured in ((1, solo), (CLIENTS, results)):
        for name, (latencies, errors, seconds) in measured.items():
            p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
            label = f"{name} ({clients} client{'s' if clients > 1 else ''})"
            print(
                f"{label:48} {p50:8.1f} {p95:8.1f} {max(latencies):8.1f} "
                f"{len(latencies) / seconds:8.1f} {errors:7d}"
            )
            if clients == CLIENTS and not name.startswith("baseline") and (p95 > GOAL_P95_MS or errors):
                ok = False
    print("goal met" if ok else "GOAL NOT MET", f"(server log: {log})")
    return 0 if ok else 1


def ensure_database(url: str) -> None:
    """Create the benchmark database when it is missing (connecting to the server's `postgres` database)."""
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_data() -> tuple[str, list[str]]:
    """Migrate, load the demo slice when the member count differs, and log the 3F caseworker in (a session
    key for the clients) and list the member ids the caseworker may open."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import connection

    from akasse.web.accounts.models import User
    from akasse.web.cases import access
    from akasse.web.cases.demo import DEMO_AKASSER, load_demo_data
    from akasse.web.cases.models import Member

    call_command("migrate", verbosity=0)
    per_akasse = -(-MEMBERS // len(DEMO_AKASSER))
    if Member.objects.count() != per_akasse * len(DEMO_AKASSER):
        if Member.objects.exists():
            raise SystemExit(
                f"{DATABASE_URL} holds {Member.objects.count():,} members, not {MEMBERS:,}: drop it first"
            )
        started = time.perf_counter()
        load_demo_data(members_per_akasse=per_akasse)
        print(
            f"loaded {Member.objects.count():,} members in {time.perf_counter() - started:.0f} s", flush=True
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics after the bulk load (autovacuum would do it later)
    call_command("clearsessions", verbosity=0)
    user = User.objects.get(username="3f-sagsbehandler")
    session = SessionStore()
    session.update(
        {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],  # the password backend, as at login
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
    )
    session.create()
    ids = [str(i) for i in access.members_for(user).values_list("pk", flat=True)[:20000]]
    return session.session_key, ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--config",
        "python:akasse.web.gunicorn_conf",
        "akasse.web.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def wait_until_up(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/static/akasse/css/akasse.css")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def run(
    port: int,
    targets: list[tuple[str, Callable[[], str], dict[str, str]]],
    *,
    per_client: int,
    clients: int = CLIENTS,
    quiet: bool = False,
) -> dict[str, tuple[list[float], int, float]]:
    """For each target in turn: `clients` threads, each sending `per_client` requests over one connection."""
    results = {}
    lock = threading.Lock()
    for name, next_path, headers in targets:
        latencies: list[float] = []
        errors = [0]
        paths = [[next_path() for _ in range(per_client)] for _ in range(clients)]

        def client(
            mine: list[str],
            latencies: list[float] = latencies,
            errors: list[int] = errors,
            headers: dict[str, str] = headers,
        ) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for path in mine:
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
                    response = conn.getresponse()
                    response.read()
                    failed = response.status != 200
                except OSError:
                    failed = True
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    errors[0] += failed
            conn.close()

        threads = [threading.Thread(target=client, args=(p,)) for p in paths]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        results[name] = (latencies, errors[0], time.perf_counter() - started)
        if not quiet:
            print(f"{name}: {len(latencies)} requests from {clients} client(s) done", flush=True)
    return results


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


if __name__ == "__main__":
    sys.exit(main())
