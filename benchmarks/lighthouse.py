"""Lighthouse (mobile) on the learner pages and the public pages of a local demo town.

    npm install --prefix ~/.cache/lighthouse lighthouse       # once; needs Node.js and chromium
    .venv/bin/python benchmarks/lighthouse.py                 # every page, one run each
    .venv/bin/python benchmarks/lighthouse.py --runs 3        # the median of three runs
    .venv/bin/python benchmarks/lighthouse.py --only 我的 首页

Builds a temporary SQLite database (migrate + collectstatic + seed_demo), starts gunicorn with
the production settings on 127.0.0.1 (DEBUG off, a file cache, static files served by
WhiteNoise), logs the demo learner in once (its session cookie is sent with the learner pages
only) and runs Lighthouse's default mobile audit (a mid-range phone, slow 4G simulated) with
Debian's chromium on each page. Prints a table of the performance, accessibility, best-practices
and SEO scores per page, and the audits that cost a page points. Not part of CI (`make bench`
does not run it): it needs Lighthouse from npm and takes about half a minute a page.

Lighthouse is looked up as `lighthouse` on the PATH, then in ~/.cache/lighthouse (the command
above), or given with --lighthouse /path/to/lighthouse/cli/index.js.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from serve_pages import PYTHON, WORKERS, _environment, server_start  # noqa: E402

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

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
from content.models import ArticlePage, CampaignPage, CriteriaPage
from directory.models import User

def path(page):
    return urlsplit(page.get_full_url()).path if page is not None else None

public = {
    "首页": "/",
    "判定标准": "/criteria/",
    "判定标准页": path(CriteriaPage.objects.live().order_by("pk").first()),
    "宣传活动": "/campaigns/",
    "宣传活动页": path(CampaignPage.objects.live().order_by("pk").first()),
    "新闻": "/news/",
    "新闻页": path(ArticlePage.objects.live().order_by("-pk").first()),
    "搜索": "/search/?q=" + "燃气",
    "证书查验": "/verify/",
    "登录": "/accounts/login/",
}
learner = {
    "我的": "/me/",
    "我的学习": "/learning/",
    "我的考试": "/exams/",
    "我的证书": "/me/certificates/",
    "我的消息": "/me/messages/",
}
anonymous = Client(HTTP_HOST="127.0.0.1")
public = {name: url for name, url in public.items() if url and anonymous.get(url).status_code == 200}
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(username="learner"))
learner = {name: url for name, url in learner.items() if client.get(url).status_code == 200}
print(json.dumps({
    "public": public,
    "learner": learner,
    "cookie": client.cookies["sessionid"].value,
}))
"""


def _lighthouse_command(given: str) -> list[str]:
    if given:
        return ["node", given] if given.endswith(".js") else [given]
    if found := shutil.which("lighthouse"):
        return [found]
    cached = Path.home() / ".cache/lighthouse/node_modules/lighthouse/cli/index.js"
    if cached.exists():
        return ["node", str(cached)]
    sys.exit("Lighthouse not found: npm install --prefix ~/.cache/lighthouse lighthouse")


def _prepare(env: dict) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", PREPARE], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"preparing the database failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _audit(command: list[str], url: str, cookie: str, tmp: Path) -> dict:
    """One Lighthouse run: {category: score 0–100, "lost": [audits that cost points]}."""
    out = tmp / "report.json"
    arguments = [
        *command,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ]
    if cookie:
        arguments.append("--extra-headers=" + json.dumps({"Cookie": f"sessionid={cookie}"}))
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not out.exists():
        raise RuntimeError(result.stderr[-2000:])
    report = json.loads(out.read_text())
    out.unlink()
    if report.get("runtimeError"):
        raise RuntimeError(report["runtimeError"].get("message", "runtime error"))
    scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in CATEGORIES}
    lost = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 0.9:
                lost.append(f"{name}: {ref['id']} ({audit['score']:.2f})")
    final = report.get("finalDisplayedUrl") or report.get("finalUrl", url)
    return {**scores, "lost": lost, "final": final}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page (the median is shown)")
    parser.add_argument("--only", nargs="+", metavar="PAGE", help="page names, e.g. 我的 首页")
    parser.add_argument("--lighthouse", default="", help="the lighthouse command or cli/index.js")
    args = parser.parse_args()
    command = _lighthouse_command(args.lighthouse)
    if not os.path.exists(CHROMIUM):
        sys.exit("chromium is not installed (apt-get install chromium fonts-wqy-zenhei)")

    tmp = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    server = None
    try:
        env = _environment(tmp)
        env["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
        (tmp / "celery").mkdir()
        print("preparing: migrate, collectstatic, seed_demo …", flush=True)
        prepared = _prepare(env)
        server, port = server_start(env)
        pages = [("公众", name, url, "") for name, url in prepared["public"].items()]
        pages += [
            ("学员", name, url, prepared["cookie"]) for name, url in prepared["learner"].items()
        ]
        if args.only:
            pages = [page for page in pages if page[1] in args.only]
        print(
            f"Lighthouse {subprocess.run([*command, '--version'], capture_output=True, text=True).stdout.strip()}"
            f" (mobile), chromium {CHROMIUM}, {args.runs} run(s) a page, gunicorn {WORKERS} workers\n"
        )
        header = "| side | page | path | performance | accessibility | best practices | SEO |"
        print(header)
        print("|---|---|---|---|---|---|---|")
        lost_by_page = {}
        for side, name, url, cookie in pages:
            runs = []
            for run in range(args.runs):
                # Chromium's trace recording fails now and then on a loaded machine: once more.
                for attempt in (1, 2):
                    try:
                        runs.append(_audit(command, f"http://127.0.0.1:{port}{url}", cookie, tmp))
                        break
                    except RuntimeError as error:
                        if attempt == 2:
                            print(f"| {side} | {name} | {url} | failed: {str(error)[:80]} |||||")
                if len(runs) <= run:
                    break
            if not runs:
                continue
            if cookie and "/accounts/login/" in runs[0]["final"]:
                print(f"| {side} | {name} | {url} | redirected to the login page |||||")
                continue
            medians = [round(statistics.median(run[c] for run in runs)) for c in CATEGORIES]
            print(
                f"| {side} | {name} | {url} | " + " | ".join(map(str, medians)) + " |", flush=True
            )
            lost_by_page[name] = sorted({item for run in runs for item in run["lost"]})
        print("\nAudits scoring below 0.9 (category: audit id (score)):")
        for name, lost in lost_by_page.items():
            print(f"  {name}: " + ("; ".join(lost) if lost else "none"))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
