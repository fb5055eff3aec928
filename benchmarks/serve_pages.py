"""Public pages under gunicorn (DEBUG off): requests/s next to a bare Django view of the same size.

    .venv/bin/python benchmarks/serve_pages.py                 # 8 concurrent, 10 s per URL
    .venv/bin/python benchmarks/serve_pages.py --seconds 3 --concurrency 4

Builds a temporary SQLite database (migrate + seed_demo), collects static files into a temporary
folder, starts gunicorn with 2 sync workers on 127.0.0.1 with production settings and a file
cache, then loads each URL from a small Python load generator (processes × threads, one request
per connection as gunicorn's sync workers close them). The client shares the machine's cores
with the server, so the fastest figures are partly client-bound. Not part of CI: prints, asserts
nothing.
"""

import argparse
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORKERS = 2


def _environment(tmp: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'benchmarks'}",
        SECRET_KEY="benchmark-only-secret-key-0123456789abcdefghijklmnop",  # noqa: S106
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp / 'bench.sqlite3'}",
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_DIR=str(tmp / "celery"),
        CACHE_URL=f"filecache://{tmp / 'cache'}",
        MEDIA_ROOT=str(tmp / "media"),
        BENCH_STATIC_ROOT=str(tmp / "static"),
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    return env


PREPARE = """
import json, os
from urllib.parse import urlsplit

import serve_pages_wsgi  # settings overrides, django.setup()
from django.core.management import call_command
from django.test import Client
from wagtail.models import Page, Site

call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
call_command("seed_demo", stdout=open(os.devnull, "w"))
home = Site.objects.get(is_default_site=True).root_page
try:
    from content.models import CriteriaPage
    page = CriteriaPage.objects.live().order_by("pk").first()
except ImportError:
    page = None
page = page or Page.objects.live().descendant_of(home).order_by("-depth", "pk").first()
urls = {"home page": urlsplit(home.get_full_url()).path}
if page is not None:
    name = "criteria page" if type(page.specific).__name__ == "CriteriaPage" else "page"
    urls[name] = urlsplit(page.get_full_url()).path
client = Client(HTTP_HOST="127.0.0.1")
sizes = {name: len(client.get(url).content) for name, url in urls.items()}
print(json.dumps({"urls": urls, "sizes": sizes}))
"""


def _prepare(env: dict) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", PREPARE], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"preparing the database failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(port: int, path: str, cookie: str = "") -> tuple[int, dict, bytes]:
    request = _request_bytes(path, cookie)
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def _request_bytes(path: str, cookie: str = "") -> bytes:
    extra = f"Cookie: {cookie}\r\n" if cookie else ""
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n").encode()


def _client_process(port, request, seconds, threads, results):
    stop = time.monotonic() + seconds
    counts = [0] * threads
    errors = [0] * threads

    def loop(index):
        while time.monotonic() < stop:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                    sock.sendall(request)
                    first = sock.recv(65536)
                    while sock.recv(65536):
                        pass
                if first.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
                    counts[index] += 1
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1

    pool = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    results.put((sum(counts), sum(errors)))


def _load(port: int, path: str, *, seconds: float, concurrency: int, cookie: str = ""):
    """Requests per second of 200 responses over `seconds`, and the number of failures."""
    processes = min(2, concurrency)
    threads = max(1, concurrency // processes)
    request = _request_bytes(path, cookie)
    results = multiprocessing.Queue()
    started = time.monotonic()
    pool = [
        multiprocessing.Process(
            target=_client_process, args=(port, request, seconds, threads, results)
        )
        for _ in range(processes)
    ]
    for process in pool:
        process.start()
    totals = [results.get() for _ in pool]
    for process in pool:
        process.join()
    elapsed = time.monotonic() - started
    return sum(t[0] for t in totals) / elapsed, sum(t[1] for t in totals)


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped while starting")
        try:
            _fetch(port, "/bare/")
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 60 s")


def server_start(env: dict) -> tuple[subprocess.Popen, int]:
    """gunicorn with WORKERS workers serving serve_pages_wsgi on a free port, once it answers."""
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "serve_pages_wsgi:application",
        ],
        env=env,
        cwd=ROOT,
    )
    _wait_until_up(port, server)
    return server, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="serve-pages-"))
    server = None
    try:
        env = _environment(tmp)
        (tmp / "celery").mkdir()
        print("preparing: migrate, collectstatic, seed_demo …", flush=True)
        prepared = _prepare(env)
        urls, sizes = prepared["urls"], prepared["sizes"]
        env["BENCH_BARE_BYTES"] = str(max(sizes.values()))
        server, port = server_start(env)

        cases = [("bare Django view", "/bare/", "")]
        for name, url in urls.items():
            status, headers, _ = _fetch(port, url)
            status, headers, body = _fetch(port, url)  # the second visit is the cached one
            print(f"{name}: {url} → {status}, {len(body)} bytes, X-Cache: {headers.get('X-Cache')}")
            cases.append((f"{name} (anonymous, cached)", url, ""))
        # A session cookie bypasses the cache: what every request would cost without it.
        name, url = next(iter(urls.items()))
        cases.append((f"{name} (uncached)", url, "sessionid=none"))
        print(
            f"\n{WORKERS} gunicorn sync workers, {args.concurrency} concurrent clients, "
            f"{args.seconds:g} s per URL, bare body {env['BENCH_BARE_BYTES']} bytes\n"
        )
        figures = {}
        for label, url, cookie in cases:
            _load(port, url, seconds=1, concurrency=args.concurrency, cookie=cookie)  # warm up
            rate, failures = _load(
                port, url, seconds=args.seconds, concurrency=args.concurrency, cookie=cookie
            )
            figures[label] = rate
            bare = figures["bare Django view"]
            print(
                f"{label:<40} {rate:8.0f} req/s   {rate / bare:6.0%} of bare"
                + (f"   ({failures} failed)" if failures else ""),
                flush=True,
            )
            if url != "/bare/":
                figure(
                    issue=3,
                    name=f"serve {label}",
                    size=f"{WORKERS} workers, {args.concurrency} clients",
                    value=rate,
                    unit="req/s",
                    floor=bare,
                    floor_name="bare Django view",
                )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
