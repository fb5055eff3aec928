"""Every file the platform hands out leaves through the one export path.

The URL configuration is walked (includes and Wagtail's hook-registered admin URLs too); each
view's code — the function, or the project methods of its class, plus the helpers of the same
module it calls — is read as a syntax tree. A view that builds a file response by hand
(FileResponse, a Content-Disposition header, an HttpResponse with a file's content type,
`.export("xlsx")`, an openpyxl Workbook, file_response called directly) fails the test, unless it
answers through `directory.exports.export_response` (generated files),
`directory.export_jobs.export_job_response` (a list the worker writes, downloaded through
`stored_export_response`) or `directory.files.stored_file_response` (stored files). A second scan reads every project module,
so a helper elsewhere that builds a response by hand is caught too.
"""

import ast
import inspect
import sys
import textwrap
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = (
    "certificates",
    "config",
    "content",
    "directory",
    "dossiers",
    "plan",
    "reports",
    "training",
)
# A list export started for the worker (directory.export_jobs) and its stored file's download
# are the same path: scoped, masked, quoted, logged once per download.
PATH_CALLS = {
    "export_response",
    "export_job_response",
    "stored_export_response",
    "stored_file_response",
}
FILE_CALLS = {"FileResponse", "StreamingHttpResponse", "Workbook", "file_response"}
FILE_FORMATS = {"xlsx", "xls", "csv", "ods", "pdf", "json", "tsv"}
PAGE_TYPES = {"text/html", "text/plain"}
# Where a file response may be built: the path itself.
PATH_MODULES = {"directory.exports", "directory.files"}
# /media/ for public CMS media (page images, campaign videos) when they are on the host's disk:
# byte ranges for video, nobody's data; not routed when a bucket serves them.
PUBLIC_MEDIA = {"content.views.media.media_serve"}

# The generated exports converted to the path (the walk must find at least these).
EXPORT_VIEWS = {
    "certificates.views.issued_front.certificate_download",
    "certificates.views.registry_gaps.certification_gaps_export",
    "directory.views.front.my_data",
    "directory.views.imports.template_download",
    "reports.views.dashboard.uncovered",
    "training.drills.views.pdf.drill_record_pdf_view",
    "training.exams.views.results_admin.exam_results_view",
    "training.learning.views.records.enterprise_status",
    "dossiers.person.views.person_file_pdf",
    "dossiers.enterprise.views.enterprise_file_pdf",
    "training.sessions.views.feeds_admin.criteria_study_view",
    "training.sessions.views.feeds_admin.inspectors_view",
    "training.sessions.views.feeds_admin.principal_coverage_view",
    "training.sessions.views.roster_admin.session_sheet_pdf",
    "directory.views.admin.ScopedIndexView",
    "directory.views.export_jobs.download",
    "plan.board.views.board_export",
    # Wagtail's own listings, their export replaced in directory/wagtail_hooks.py
    "wagtail.admin.views.reports.audit_logging.LogEntriesView",
    "wagtail.contrib.redirects.views.IndexView",
}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def handmade(tree: ast.AST) -> list[str]:
    """The constructs in `tree` that build a file response outside the path."""
    found = []
    for node in ast.walk(tree):
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and text.lower() == "content-disposition":
            found.append("a Content-Disposition header")
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in FILE_CALLS:
            found.append(f"{name}(...)")
        elif name in ("HttpResponse", "JsonResponse"):
            for keyword in node.keywords:
                if keyword.arg != "content_type":
                    continue
                value = keyword.value
                page = isinstance(value, ast.Constant) and str(value.value).split(";")[0] in (
                    PAGE_TYPES
                )
                if not page:
                    found.append(f"{name}(content_type=...)")
        elif name == "export" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and first.value in FILE_FORMATS:
                found.append(f'.export("{first.value}")')
    return found


def calls(tree: ast.AST) -> set[str]:
    return {_name(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)} - {None}


class Module:
    """A module's top-level functions and classes, by name, as syntax trees."""

    def __init__(self, module):
        self.name = module.__name__
        source = inspect.getsource(module)
        self.tree = ast.parse(source)
        self.functions = {
            n.name: n
            for n in self.tree.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        self.classes = {n.name: n for n in self.tree.body if isinstance(n, ast.ClassDef)}

    def reach(self, roots: list[ast.AST]) -> list[ast.AST]:
        """The roots and the module's functions they call, transitively (the path's own
        insides are not followed: they are where files are built)."""
        if self.name in PATH_MODULES:
            return list(roots)
        seen, todo, trees = set(), list(roots), []
        while todo:
            tree = todo.pop()
            trees.append(tree)
            for name in calls(tree):
                if name in self.functions and name not in seen:
                    seen.add(name)
                    todo.append(self.functions[name])
        return trees


_modules: dict[str, Module] = {}


def _module(name: str) -> Module:
    if name not in _modules:
        _modules[name] = Module(sys.modules[name])
    return _modules[name]


def _ours(module_name: str, apps) -> bool:
    return module_name.split(".")[0] in apps


def callbacks(resolver: URLResolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from callbacks(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def _function_trees(func) -> tuple[list[ast.AST], Module] | None:
    func = inspect.unwrap(func)
    module = _module(func.__module__)
    node = module.functions.get(func.__name__)
    if node is None:
        return None
    return module.reach([node]), module


def _spreadsheet_export(callback, view_class, apps) -> list[ast.AST] | None:
    """A listing with Wagtail's export (list_export set): the code of its `as_spreadsheet`.

    [] when that code is Wagtail's own (it writes and answers the file itself); None when the
    view exports nothing.
    """
    initkwargs = getattr(callback, "view_initkwargs", {}) or {}
    if not (initkwargs.get("list_export") or getattr(view_class, "list_export", None)):
        return None
    method = getattr(view_class, "as_spreadsheet", None)
    if method is None:
        return None
    func = inspect.unwrap(method)
    if not _ours(func.__module__, apps):
        return []
    owner = next(k for k in view_class.__mro__ if "as_spreadsheet" in k.__dict__)
    if owner.__module__ == func.__module__ and owner.__name__ in _module(func.__module__).classes:
        return []  # a project class's method: read with the class below
    found = _function_trees(func)
    return found[0] if found else []


def view_code(callback, apps) -> tuple[str, list[ast.AST], list[str]] | None:
    """(qualified name, syntax trees to read, handmade-by-construction) of a view that is the
    project's or exports a spreadsheet; None for others."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        name = f"{view_class.__module__}.{view_class.__qualname__}"
        trees, wagtail_writes = [], []
        for klass in view_class.__mro__:
            if not _ours(klass.__module__, apps):
                continue
            module = _module(klass.__module__)
            node = module.classes.get(klass.__name__)
            if node is not None:
                trees.extend(module.reach([node]))
        export = _spreadsheet_export(callback, view_class, apps)
        if export is not None:
            trees.extend(export)
            owner = next(k for k in view_class.__mro__ if "as_spreadsheet" in k.__dict__)
            if not _ours(inspect.unwrap(owner.__dict__["as_spreadsheet"]).__module__, apps):
                wagtail_writes.append("Wagtail's own spreadsheet export")
        if not trees and not wagtail_writes:
            return None
        return name, trees, wagtail_writes
    func = inspect.unwrap(callback)
    if not _ours(getattr(func, "__module__", "") or "", apps):
        return None
    found = _function_trees(func)
    if found is None:
        return None
    return f"{func.__module__}.{func.__name__}", found[0], []


def walk(urlconf=None, apps=PROJECT_APPS) -> tuple[set[str], dict[str, list[str]]]:
    """(views answering through the path, views building a file by hand with what they do)."""
    through, offenders = set(), {}
    for callback in callbacks(get_resolver(urlconf)):
        code = view_code(callback, apps)
        if code is None:
            continue
        name, trees, bad = code
        if name in PUBLIC_MEDIA:
            continue
        bad = sorted(set(bad) | {what for tree in trees for what in handmade(tree)})
        if bad:
            offenders[name] = bad
        elif any(calls(tree) & PATH_CALLS for tree in trees):
            through.add(name)
    return through, offenders


def test_every_view_that_returns_a_file_goes_through_the_export_path():
    through, offenders = walk()
    assert through >= EXPORT_VIEWS, sorted(EXPORT_VIEWS - through)
    assert not offenders, "Views building a file response by hand:\n" + "\n".join(
        f"  {name}: {', '.join(what)}" for name, what in sorted(offenders.items())
    )


def test_no_project_module_builds_a_file_response_by_hand():
    """Helpers outside the views (a module a view imports) are read too."""
    found = []
    for app in PROJECT_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            dotted = ".".join(relative.with_suffix("").parts)
            if "migrations" in relative.parts or dotted in PATH_MODULES:
                continue
            tree = ast.parse(path.read_text())
            for node in tree.body:
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    continue
                if f"{dotted}.{node.name}" in PUBLIC_MEDIA:
                    continue
                for what in sorted(set(handmade(node))):
                    found.append(f"{dotted}.{node.name}: {what}")
    assert not found, "Built by hand outside directory/exports.py:\n" + "\n".join(found)


FAKE_VIEWS = """
import io
from django.http import FileResponse, HttpResponse
from directory.exports import export_response


def _helper():
    return FileResponse(io.BytesIO(b"x"), filename="x.pdf")


def by_hand(request):
    return _helper()


def csv_by_hand(request):
    response = HttpResponse("a,b", content_type="text/csv")
    response["Content-Disposition"] = "attachment"
    return response


def page(request):
    return HttpResponse("<p>hi</p>", content_type="text/html")


def through(request):
    return export_response(request, kind="x", records=None, build=None, filename="x", fmt="csv")
"""


def test_the_walk_catches_a_view_that_builds_its_file_by_hand(tmp_path, monkeypatch):
    (tmp_path / "fakeexports_views.py").write_text(textwrap.dedent(FAKE_VIEWS))
    (tmp_path / "fakeexports_urls.py").write_text(
        "from django.urls import include, path\n"
        "from fakeexports_views import by_hand, csv_by_hand, page, through\n"
        "inner = [path('a/', by_hand), path('b/', csv_by_hand)]\n"
        "urlpatterns = [path('x/', include(inner)), path('p/', page), path('t/', through)]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        through, offenders = walk("fakeexports_urls", apps=("fakeexports_views",))
    finally:
        for name in ("fakeexports_views", "fakeexports_urls"):
            sys.modules.pop(name, None)
            _modules.pop(name, None)
    assert through == {"fakeexports_views.through"}
    assert offenders == {
        "fakeexports_views.by_hand": ["FileResponse(...)"],
        "fakeexports_views.csv_by_hand": [
            "HttpResponse(content_type=...)",
            "a Content-Disposition header",
        ],
    }
