"""Styles and scripts are static files: no template or view of ours carries a <style> block, an
inline <script>, a style="" attribute or an on…= handler (the CSP refuses them all), and every
file a template names with {% static %} exists."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

ROOT = Path(settings.BASE_DIR)
APPS = ["certificates", "config", "content", "directory", "dossiers", "reports", "training"]
TEMPLATES = sorted(
    [*ROOT.glob("templates/**/*.html"), *(p for a in APPS for p in ROOT.glob(f"{a}/**/*.html"))]
)
SOURCES = sorted(p for a in APPS for p in ROOT.glob(f"{a}/**/*.py") if "migrations" not in p.parts)

STYLE_BLOCK = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=\s*["'{]""", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["'{]""", re.I)
SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
STATIC_TAG = re.compile(r"""{%\s*static\s+["']([^"']+)["']""")


def inline_markup(text: str) -> list[str]:
    found = [m.group(0) for m in (*STYLE_BLOCK.finditer(text), *STYLE_ATTRIBUTE.finditer(text))]
    found += [m.group(0) for m in HANDLER.finditer(text)]
    found += [m.group(0) for m in SCRIPT.finditer(text) if "src=" not in m.group(1)]
    return found


def test_the_scanner_finds_each_kind_of_inline_markup():
    assert inline_markup('<style>p{}</style><p style="color:red" onclick="x()">') == [
        "<style",
        ' style="',
        ' onclick="',
    ]
    assert inline_markup("<script>alert(1)</script><script type='module'>") == [
        "<script>",
        "<script type='module'>",
    ]
    assert inline_markup('<script src="/static/a.js" defer></script><p class="onward">') == []


def test_the_scan_covers_our_templates_and_views():
    names = {p.relative_to(ROOT).as_posix() for p in TEMPLATES}
    assert {"templates/base.html", "templates/500.html", "templates/includes/pagination.html"} <= (
        names
    )
    assert ROOT / "training/drills/views/evidence_admin.py" in SOURCES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_inline_style_or_script_in_templates(path):
    assert inline_markup(path.read_text(encoding="utf-8")) == []


def string_literals(source: str) -> str:
    """The str constants of a module (the HTML a view or a hook emits), without docstrings."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return "\n".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    )


def test_no_inline_style_or_script_in_python_emitting_html():
    offenders = {
        p.relative_to(ROOT).as_posix(): found
        for p in SOURCES
        if (found := inline_markup(string_literals(p.read_text(encoding="utf-8"))))
    }
    assert offenders == {}
    emitted = 'format_html(\'<img src="{}" style="max-width:24rem">\', url)  # a view'
    assert inline_markup(string_literals(emitted)) == [' style="']


def test_every_static_file_a_template_names_exists():
    named = {m.group(1) for p in TEMPLATES for m in STATIC_TAG.finditer(p.read_text("utf-8"))}
    assert "css/site.css" in named and "css/error.css" in named
    assert sorted(name for name in named if not finders.find(name)) == []


def test_the_house_sheet_is_a_static_file_linked_from_the_base_template():
    base = (ROOT / "templates/base.html").read_text(encoding="utf-8")
    assert "{% static 'css/site.css' %}" in base
    assert ROOT / "static" in [Path(d) for d in settings.STATICFILES_DIRS]
    assert "--brand: #0b5f8a;" in Path(finders.find("css/site.css")).read_text(encoding="utf-8")


def test_collected_pages_link_the_house_sheet_by_hashed_name(settings, tmp_path, db):
    """As in production: collectstatic writes hashed copies and the base template links one.
    (The header reads the open contest: db.)"""
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    html = render_to_string("base.html", request=RequestFactory().get("/"))
    (link,) = re.findall(r'href="/static/(css/site\.[0-9a-f]{12}\.css)"', html)
    assert (tmp_path / link).read_text(encoding="utf-8") == (
        ROOT / "static/css/site.css"
    ).read_text(encoding="utf-8")
    error_page = render_to_string("500.html")
    assert re.search(r'href="/static/css/error\.[0-9a-f]{12}\.css"', error_page)
