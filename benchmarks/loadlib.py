"""A small load harness for the benchmarks: gunicorn (+ a Celery worker) on loopback, simulated
users on threads with keep-alive http.client connections, latency per request kind.

    from loadlib import Stack, drive, bare_rate, report

    with Stack(workdir, workers=4, celery=True, redis="redis://127.0.0.1:6379/2") as stack:
        result = drive(stack.port, [user_script] * 200, spread=10.0)
        report("contest", result, kinds=("start", "answer", "submit"))
        report("bare view", bare_rate(stack.port, users=200, requests=20))

The server runs with production settings (DEBUG off, the configured DATABASE_URL; Redis as
cache and broker when `redis` is given, else a file cache and the filesystem broker) through
bare_wsgi.py, which adds a bare Django view at /bare/ behind the same middleware: the floor the
product's endpoints are compared with, measured with the same driver and concurrency. Each
simulated user is a function of a `Client` (cookies, CSRF token, one connection reopened when
gunicorn's sync workers close it); no dependency beyond the standard library.
"""

import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
SECRET = "benchmark-only-secret-key-0123456789abcdefghijklmnop"  # noqa: S105
CSRF = "b" * 32  # an unmasked CSRF secret: sent as the cookie and as the token


def django_setup(workdir: Path, *, redis: str | None = None) -> None:
    """Django in this process (base settings, DEBUG off) on DATABASE_URL or a temporary SQLite,
    with the servers' cache (server_env's): what this process puts there -- the dashboards the
    beat's snapshot task renders ahead, run here as the worker would -- the servers read."""
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    if redis:
        os.environ["CACHE_URL"] = redis
    else:
        os.environ.setdefault("CACHE_URL", f"filecache://{workdir / 'cache'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    os.environ["SECRET_KEY"] = SECRET
    # Base settings: DEBUG off, so Django does not keep every SQL statement in memory.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from directory.retention import retention_lift_for_scratch_database

    retention_lift_for_scratch_database()  # the benchmark's own records, emptied before each run


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(workdir: Path, *, redis: str | None = None) -> dict:
    """The environment of a production-like server process (gunicorn or a Celery worker)."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        PYTHONPATH=f"{ROOT}{os.pathsep}{BENCH}",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=os.environ["DATABASE_URL"],
        CELERY_BROKER_URL=redis or "filesystem://",
        CELERY_FILESYSTEM_DIR=os.environ.get("CELERY_FILESYSTEM_DIR", str(workdir / "celery")),
        CACHE_URL=redis or f"filecache://{workdir / 'cache'}",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    # Every simulated visitor comes from 127.0.0.1 (no proxy in front, so the server reads
    # REMOTE_ADDR): the contest's per-address join limit would
    # stop the spike after a handful of participants, so the benchmark's server lifts it.
    env["CONTEST_JOINS_PER_ADDRESS"] = "1000000"
    env["BENCH_STATIC_ROOT"] = str(workdir / "static")
    if os.environ.get("MEDIA_ROOT"):
        env["MEDIA_ROOT"] = os.environ["MEDIA_ROOT"]
    return env


def static_collect(workdir: Path) -> None:
    """collectstatic into the workdir: production settings serve hashed names from a manifest."""
    code = "import bare_wsgi; from django.core.management import call_command; "
    code += "call_command('collectstatic', interactive=False, verbosity=0)"
    subprocess.run([sys.executable, "-c", code], env=server_env(workdir), cwd=ROOT, check=True)


def gunicorn_start(
    workdir: Path,
    *,
    workers: int,
    wsgi: str = "bare_wsgi:application",
    redis: str | None = None,
    threads: int = 1,
) -> tuple[subprocess.Popen, int]:
    """gunicorn with `workers` workers on a free loopback port, once it accepts connections: sync
    workers, or gthread ones with `threads` threads each (docs/production.md's setting)."""
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    threaded = ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
    server = subprocess.Popen(
        [gunicorn, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", *threaded]
        + ["--backlog", "2048", "--log-level", "warning", wsgi],
        env=server_env(workdir, redis=redis),
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, port
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                sys.exit("gunicorn did not start")
            time.sleep(0.2)


def celery_start(workdir: Path, *, redis: str | None = None) -> subprocess.Popen:
    celery = str(Path(sys.executable).parent / "celery")
    return subprocess.Popen(
        [celery, "-A", "config", "worker", "--pool=solo", "--loglevel=WARNING"],
        env=server_env(workdir, redis=redis),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


class Stack:
    """gunicorn (and optionally a Celery worker) for the duration of a `with` block."""

    def __init__(self, workdir: Path, *, workers=2, celery=False, redis=None, wsgi=None, threads=1):
        self.workdir, self.workers, self.celery, self.redis = workdir, workers, celery, redis
        self.threads = threads
        self.wsgi = wsgi or "bare_wsgi:application"
        self.processes: list[subprocess.Popen] = []
        self.port = 0

    @classmethod
    def from_args(cls, workdir: Path, args) -> "Stack":
        """The stack a load script's options ask for (--workers, --threads, --redis,
        --no-celery)."""
        return cls(
            workdir,
            workers=args.workers,
            celery=not args.no_celery,
            redis=args.redis,
            threads=args.threads,
        )

    def __enter__(self) -> "Stack":
        static_collect(self.workdir)
        if self.celery:
            self.processes.append(celery_start(self.workdir, redis=self.redis))
        server, self.port = gunicorn_start(
            self.workdir,
            workers=self.workers,
            wsgi=self.wsgi,
            redis=self.redis,
            threads=self.threads,
        )
        self.processes.append(server)
        warm = Client(self.port)
        for _ in range(4 * self.workers):
            warm.request("warm", "GET", "/bare/")
        return self

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def login_cookie(user) -> str:
    """A `sessionid=…` cookie of a session logged in as `user` (made in the database)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "directory.backends.RoleBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"sessionid={session.session_key}"


# --- the driver -----------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    seconds: float
    ok: bool
    note: str = ""


@dataclass
class Result:
    samples: list[Sample] = field(default_factory=list)
    wall: float = 0.0

    def of(self, kind: str | None = None) -> list[Sample]:
        return [s for s in self.samples if kind is None or s.kind == kind]


class Client:
    """One simulated user's browser: a keep-alive connection, its cookies, timed requests."""

    def __init__(self, port: int, *, cookie: str = "", record=None):
        self.port = port
        self.cookies = SimpleCookie()
        self.cookies.load(f"csrftoken={CSRF}")
        if cookie:
            self.cookies.load(cookie)
        self.record = record or (lambda sample: None)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, kind, method, path, *, form=None, data=None, files=None, ok=(200,)):
        """One timed request; (status, headers, body), status 0 on a connection failure.
        `files` ({field: (filename, bytes)}) sends `form` and the files as multipart/form-data."""
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items()),
        }
        body = None
        if files is not None:
            body, headers["Content-Type"] = multipart({"csrfmiddlewaretoken": CSRF, **form}, files)
        elif form is not None:
            body = urlencode({"csrfmiddlewaretoken": CSRF, **form}, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
            headers["X-CSRFToken"] = CSRF
        begun = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.record(Sample(kind, time.perf_counter() - begun, False, type(error).__name__))
            return 0, {}, b""
        elapsed = time.perf_counter() - begun
        for value in response.msg.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        good = response.status in ok
        self.record(Sample(kind, elapsed, good, "" if good else f"{kind} {response.status}"))
        return response.status, dict(response.getheaders()), content

    @staticmethod
    def location(headers: dict) -> str:
        return urlsplit(headers.get("Location", "")).path

    def close(self) -> None:
        self.connection.close()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """A multipart/form-data body of `fields` and `files` ({name: (filename, bytes)})."""
    boundary = "benchmark-boundary-7d0c3f"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def think(seconds: float, rng: random.Random) -> None:
    """A user's pause between two actions: `seconds` on average (±50 %), none for 0."""
    if seconds > 0:
        time.sleep(rng.uniform(0.5 * seconds, 1.5 * seconds))


def drive(port: int, users: list, *, spread: float = 0.0, seed: int = 5) -> Result:
    """Run each user script `script(client, rng)` on its own thread, started at a random moment
    within `spread` seconds; every request's latency is recorded."""
    result, lock = Result(), threading.Lock()

    def record(sample: Sample) -> None:
        with lock:
            result.samples.append(sample)

    rng = random.Random(seed)
    plan = [(rng.uniform(0, spread) if spread else 0.0, n) for n in range(len(users))]
    started = time.monotonic()

    def run(at: float, n: int) -> None:
        time.sleep(max(0.0, started + at - time.monotonic()))
        script = users[n]
        client = Client(port, cookie=getattr(script, "cookie", ""), record=record)
        try:
            script(client, random.Random(seed * 1000 + n))
        except Exception as error:  # noqa: BLE001 - a script failing is an error, not a crash
            record(Sample("script", 0.0, False, repr(error)[:80]))
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=item) for item in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall = time.monotonic() - started
    return result


def bare_rate(port: int, *, users: int, requests: int) -> Result:
    """The bare Django view, same driver and concurrency: `users` threads, `requests` each."""

    def script(client, rng):
        for _ in range(requests):
            client.request("bare", "POST", "/bare/", data={"position": 1, "choice": "A"})

    return drive(port, [script] * users)


def bare_paced(port: int, *, users: int, requests: int, spread: float, pause: float) -> Result:
    """The bare Django view at a scenario's concurrency and pace: `users` threads started within
    `spread` seconds, `requests` each, `pause` seconds apart on average (as the scenario's)."""

    def script(client, rng):
        for n in range(requests):
            if n:
                think(pause, rng)
            client.request("bare", "POST", "/bare/", data={"position": 1, "choice": "A"})

    return drive(port, [script] * users, spread=spread)


# --- figures --------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "n/a"


HEADER = f"  {'kind':<10} {'requests':>8} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}"


def report_line(label: str, samples: list[Sample], wall: float) -> str:
    times = [s.seconds for s in samples]
    errors = sum(1 for s in samples if not s.ok)
    rate = len(samples) / wall if wall else 0.0
    p50, p95, p99 = (percentile(times, q) * 1000 for q in (0.50, 0.95, 0.99))
    top = max(times, default=0) * 1000
    return f"  {label:<10} {len(samples):>8} {rate:>8.1f} {p50:>7.0f} {p95:>7.0f} {p99:>7.0f} {top:>7.0f} {errors:>6}"


def report(title: str, result: Result, *, kinds: tuple[str, ...] = ()) -> None:
    """Throughput, p50 / p95 / p99, max and errors: every request, then per kind."""
    print(f"{title}: {result.wall:.1f} s, load average {load_average()}")
    print(HEADER)
    print(report_line("all", result.samples, result.wall))
    for kind in kinds:
        print(report_line(kind, result.of(kind), result.wall))
    notes = sorted({s.note for s in result.samples if s.note})
    if notes:
        print(f"  error kinds: {notes[:8]}")
    sys.stdout.flush()


def figures_record(issue: int, scenario: str, size: str, result: Result, bare: Result) -> None:
    """The run's figures for `make bench`'s table: throughput next to the bare view's, and the
    latency percentiles and errors of every request."""
    from figures import figure

    times = [s.seconds for s in result.samples]
    rate = len(result.samples) / result.wall if result.wall else 0.0
    bare_rate_ = len(bare.samples) / bare.wall if bare.wall else None
    figure(
        issue=issue,
        name=f"{scenario}: throughput",
        size=size,
        value=rate,
        unit="req/s",
        floor=bare_rate_,
        floor_name="bare Django view, same driver",
    )
    for share in (0.50, 0.95, 0.99):
        figure(
            issue=issue,
            name=f"{scenario}: p{int(share * 100)}",
            size=size,
            value=percentile(times, share) * 1000,
            unit="ms",
            goal="< 300 ms" if share == 0.95 and scenario == "contest spike" else "",
        )
    figure(
        issue=issue,
        name=f"{scenario}: errors",
        size=size,
        value=sum(1 for s in result.samples if not s.ok),
        unit="errors",
        goal="0",
    )


# --- capacity: the most simultaneous users a scenario holds ---------------------------------

LIMIT_MS = 300.0  # a step is held while p95 stays within this and nothing fails
STEPS = (10, 20, 50, 100, 200, 500, 1000)
# The area code of the people the load scenarios make (上海市松江区): a seed_scale or demo town
# numbers its residents under Qingpu's (310118), so a benchmark's ID number never matches one of
# theirs and its clean-up never reaches their records.
BENCH_AREA = "310117"


@dataclass
class Step:
    """One step of a capacity run: the scenario with `users` simultaneous users, then the bare
    view at the same concurrency and pace."""

    users: int
    requests: int
    rate: float
    p95_ms: float
    errors: int
    bare_rate: float
    bare_p95_ms: float
    bare_errors: int
    why: str  # "" when held, else what broke it ("p95 412 ms", "3 errors")


def step_of(users: int, result: Result, bare: Result, limit_ms: float = LIMIT_MS) -> Step:
    def figures(run: Result) -> tuple[float, float, int]:
        rate = len(run.samples) / run.wall if run.wall else 0.0
        p95 = percentile([s.seconds for s in run.samples], 0.95) * 1000
        return rate, p95, sum(1 for s in run.samples if not s.ok)

    rate, p95, errors = figures(result)
    bare_rate_, bare_p95, bare_errors = figures(bare)
    why = ", ".join(
        text
        for text, broken in ((f"p95 {p95:.0f} ms", p95 > limit_ms), (f"{errors} errors", errors))
        if broken
    )
    return Step(
        users, len(result.samples), rate, p95, errors, bare_rate_, bare_p95, bare_errors, why
    )


CAPACITY_HEADER = (
    f"  {'users':>6} {'requests':>8} {'req/s':>7} {'p95 ms':>7} {'errors':>6}"
    f" | {'bare req/s':>10} {'bare p95':>8} {'errors':>6} | held"
)


def capacity_line(step: Step) -> str:
    return (
        f"  {step.users:>6} {step.requests:>8} {step.rate:>7.1f} {step.p95_ms:>7.0f} "
        f"{step.errors:>6} | {step.bare_rate:>10.1f} {step.bare_p95_ms:>8.0f} "
        f"{step.bare_errors:>6} | {'yes' if not step.why else 'no: ' + step.why}"
    )


def capacity(
    port: int,
    users_for,
    *,
    steps=STEPS,
    spread: float,
    pause: float,
    limit_ms: float = LIMIT_MS,
    title: str = "",
    warm: int = 0,
) -> list[Step]:
    """Step the simultaneous users up (`users_for(n)` gives n user scripts, their data made
    afresh) until p95 passes `limit_ms` or a request fails; after each step the bare view with
    the same number of users, requests each, spread and pause. The steps run, the last one the
    first not held (unless every step held). `warm` users run once first, unmeasured, so that
    every worker has loaded the scenario's views before the clock starts."""
    if warm:
        drive(port, users_for(warm))
    print(f"{title}: steps {', '.join(map(str, steps))}; held = p95 ≤ {limit_ms:g} ms, 0 errors")
    print(CAPACITY_HEADER)
    sys.stdout.flush()
    done = []
    for users in steps:
        result = drive(port, users_for(users), spread=spread)
        per_user = max(1, round(len(result.samples) / users))
        bare = bare_paced(port, users=users, requests=per_user, spread=spread, pause=pause)
        step = step_of(users, result, bare, limit_ms)
        done.append(step)
        print(capacity_line(step), f"  (load average {load_average()})")
        sys.stdout.flush()
        if step.why:
            break
    return done


def capacity_summary(scenario: str, steps: list[Step], limit_ms: float = LIMIT_MS) -> dict:
    """The largest step held, its figures and the bare view's at the same concurrency, and the
    first step not held (None when every step held: the capacity is at least the last step)."""
    held = [s for s in steps if not s.why]
    best = held[-1] if held else None
    broke = next((s for s in steps if s.why), None)
    bare_held = [s.users for s in steps if s.bare_p95_ms <= limit_ms and not s.bare_errors]
    return {
        "scenario": scenario,
        "held": best.users if best else 0,
        "at_least": broke is None,
        "p95_ms": best.p95_ms if best else None,
        "rate": best.rate if best else None,
        "bare_p95_ms": best.bare_p95_ms if best else None,
        "bare_rate": best.bare_rate if best else None,
        "bare_held": max(bare_held, default=0),
        "broke_at": broke.users if broke else None,
        "broke_why": broke.why if broke else "",
        "broke_bare_p95_ms": broke.bare_p95_ms if broke else None,
        "steps": [s.users for s in steps],
        "limit_ms": limit_ms,
    }


def capacity_record(
    scenario: str, steps: list[Step], size: str, *, limit_ms: float = LIMIT_MS
) -> dict:
    """The capacity figure for `make bench`'s table (with the summary as its detail); the
    summary."""
    from figures import figure

    summary = capacity_summary(scenario, steps, limit_ms)
    figure(
        issue=10,
        name=f"capacity: {scenario}",
        size=size,
        value=summary["held"],
        unit="users",
        floor=summary["bare_held"],
        floor_name="bare view held, same steps",
        goal=f"p95 ≤ {limit_ms:g} ms, 0 errors",
        detail={"capacity": summary},
    )
    return summary


def capacity_table(summaries: list[dict]) -> str:
    """The capacity table (markdown): per scenario the largest step held, its p95 and rate, the
    bare view's at the same concurrency, and the first step not held with what broke it."""

    def ms(value) -> str:
        return "" if value is None else f"{value:.0f} ms"

    def rate(value) -> str:
        return "" if value is None else f"{value:.1f} req/s"

    lines = [
        "| scenario | users held | p95 | throughput | bare view p95 (same users) "
        "| bare view throughput | first step not held | steps |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        held = f"≥ {s['held']}" if s["at_least"] else str(s["held"])
        broke = (
            f"{s['broke_at']}: {s['broke_why']} (bare p95 {ms(s['broke_bare_p95_ms'])})"
            if s["broke_at"]
            else "none"
        )
        lines.append(
            f"| {s['scenario']} | {held} | {ms(s['p95_ms'])} | {rate(s['rate'])} "
            f"| {ms(s['bare_p95_ms'])} | {rate(s['bare_rate'])} | {broke} "
            f"| {', '.join(map(str, s['steps']))} |"
        )
    return "\n".join(lines) + "\n"


def server_label(workers: int, threads: int) -> str:
    """How the benchmark's gunicorn runs, for the tables."""
    if threads > 1:
        return f"{workers} gthread workers × {threads} threads"
    return f"{workers} sync workers"
