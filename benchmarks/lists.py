"""Back-office lists benchmark: page one of every list the town office and a department's officer
can open, with its time, queries and HTML size, on the database as it is.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/district .venv/bin/python benchmarks/lists.py
    .venv/bin/python benchmarks/lists.py --seed tiny            # an empty database: seed_scale first
    .venv/bin/python benchmarks/lists.py --only uncovered gaps  # URLs containing these words

The lists are found, not listed by hand: every link of the back-office menu of each viewer
(Wagtail's sidebar, submenus included), the drill-down of every coverage metric (覆盖率 →
not covered), the people and enterprise registries searched by a surname, and the search-as-you-
type endpoints. Each page is fetched once to warm the caches, then `--repeat` times through the
test client (median). On PostgreSQL the connection runs with `jit = off` unless `--jit on`: JIT
compiles a big grouped query for longer than it runs (docs/production.md). Writes nothing but
the two benchmark accounts. Not part of CI: it prints figures, asserts nothing.
"""

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from figures import figure

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ISSUE = 23
# Sidebar links that are not lists of the data (the pages' explorer, the user's own account…).
SKIP = ("/admin/pages/", "/admin/account/", "/admin/logout/", "/admin/documents/multiple/")


def accounts():
    """The town office and the officer of the department leading the most enterprises."""
    from django.db.models import Count

    from directory.constants import AccountRole
    from directory.models import Department, User

    department = Department.objects.annotate(n=Count("enterprises")).order_by("-n", "pk").first()
    town, _ = User.objects.update_or_create(
        username="bench-lists-town", defaults={"role": AccountRole.TOWN_OFFICE, "is_active": True}
    )
    officer, _ = User.objects.update_or_create(
        username="bench-lists-department",
        defaults={
            "role": AccountRole.DEPARTMENT_OFFICER,
            "department": department,
            "is_active": True,
        },
    )
    return {"town": town, "department": officer}


def menu_links(html: str) -> list[tuple[str, str]]:
    """(label, url) of every link of the sidebar, submenus included."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    links = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("_type") == "wagtail.sidebar.LinkMenuItem":
                args = node["_args"][0]
                links.append((str(args["label"]), args["url"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    if props:
        walk(json.loads(props.group(1)))
    return links


def list_urls(client) -> list[tuple[str, str]]:
    """The viewer's lists: menu links, each metric's drill-down, registry searches, endpoints."""
    from django.urls import NoReverseMatch, reverse

    from reports.metrics import Kind, metric_list

    response = client.get("/admin/")
    urls = [(label, url) for label, url in menu_links(response.content.decode()) if url]
    urls = [(label, url) for label, url in urls if url.startswith("/admin/") and url not in SKIP]
    for metric in metric_list():
        if metric.has_source and metric.kind != Kind.COUNT:
            url = reverse("coverage:uncovered", args=[metric.code])
            urls.append((f"not covered: {metric.code}", url))
    for label, name, query in (
        ("people: search 王", "registry_people:index", "?q=王"),
        ("enterprises: search 公司", "registry_enterprises:index", "?q=公司"),
        ("enterprise choices: 公司", "directory_choices:enterprises", "?q=公司"),
    ):
        try:
            urls.append((label, reverse(name) + query))
        except NoReverseMatch:
            continue
    seen, unique = set(), []
    for label, url in urls:
        if url not in seen:
            seen.add(url)
            unique.append((label, url))
    return unique


def timed(client, url: str, repeat: int):
    """Median seconds, queries and bytes of page one of `url`; None when it is not a 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm the template cache and the session
    if response.status_code != 200:
        return None, response.status_code
    times, queries, size = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            content = b"".join(response) if response.streaming else response.content
            times.append(time.perf_counter() - started)
        queries, size = len(captured), len(content)
    return (statistics.median(times), queries, size), 200


def snapshot(size: str) -> None:
    """Refresh this year's coverage snapshot, with the seconds each metric's count took."""
    from django.utils import timezone

    from reports.models import MetricSnapshot
    from reports.services.snapshots import snapshots_refresh

    year = timezone.localdate().year
    started = time.perf_counter()
    snapshots_refresh(year=year)
    seconds = time.perf_counter() - started
    print(f"snapshot refresh: {seconds * 1000:.0f} ms")
    for code, took in (
        MetricSnapshot.objects.filter(year=year, dims="")
        .order_by("-seconds")
        .values_list("metric_code", "seconds")
    ):
        print(f"  {code:<32} {took * 1000:>7.0f} ms")
    figure(issue=ISSUE, name="coverage snapshot refresh", size=size, value=seconds, unit="s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", help="seed_scale this scale first when the database is empty")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jit", choices=("on", "off"), default="off")
    parser.add_argument("--only", nargs="*", default=[], help="URLs or labels containing these")
    parser.add_argument("--viewers", nargs="*", default=["town", "department"])
    parser.add_argument(
        "--snapshot",
        action="store_true",
        help="refresh the coverage snapshot first (timed, per metric), as the beat task does",
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-lists-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("CELERY_FILESYSTEM_DIR", str(workdir / "celery"))
    os.environ.setdefault("MEDIA_ROOT", str(workdir / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from directory.models import Enterprise, Person

    call_command("migrate", verbosity=0)
    if args.seed and not Enterprise.objects.exists():
        call_command("seed_scale", scale=args.seed, stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET jit = {'on' if args.jit == 'on' else 'off'}")
    size = f"{Enterprise.objects.count():,} enterprises, {Person.objects.count():,} people"
    print(f"database: {connection.vendor}; {size}; median of {args.repeat}; JIT {args.jit}")
    if args.snapshot:
        snapshot(size)
    print(f"{'viewer':<10} {'ms':>7} {'q':>4} {'KB':>7}  list  url")
    with override_settings(STORAGES=storages):
        for viewer, user in accounts().items():
            if viewer not in args.viewers:
                continue
            client = Client()
            client.force_login(user)
            for label, url in list_urls(client):
                if args.only and not any(w in url or w in label for w in args.only):
                    continue
                result, status = timed(client, url, args.repeat)
                if result is None:
                    print(f"{viewer:<10} {'-':>7} {'-':>4} {'-':>7}  {label}  {url} ({status})")
                    continue
                seconds, queries, length = result
                print(
                    f"{viewer:<10} {seconds * 1000:>7.0f} {queries:>4} {length / 1024:>7.0f}  "
                    f"{label}  {url}"
                )
                name = f"list page one ({viewer}): {label}"
                figure(issue=ISSUE, name=name, size=size, value=seconds, unit="s", goal="< 0.5 s")
                figure(issue=ISSUE, name=f"{name}: queries", size=size, value=queries, unit="q")


if __name__ == "__main__":
    main()
