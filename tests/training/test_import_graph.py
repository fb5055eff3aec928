"""training/ is four domain packages and a common one: a domain imports its own modules,
training.common, and another domain only through its services (writes) and selectors (reads)."""

import ast
import pathlib

import pytest

import training

ROOT = pathlib.Path(training.__file__).parent
DOMAINS = ("learning", "sessions", "exams", "drills")


def _imports(path: pathlib.Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
    return [(line, name) for line, name in found if name.split(".")[0] == "training"]


def _allowed(domain: str, target: str) -> bool:
    parts = target.split(".")
    if len(parts) < 2:
        return False  # the app root: its re-exports hide which domain a name comes from
    room = parts[1]
    if room in (domain, "common"):
        return True
    return room in DOMAINS and len(parts) > 2 and parts[2] in ("services", "selectors")


def _violations(domain: str) -> list[str]:
    bad = []
    for path in sorted((ROOT / domain).rglob("*.py")):
        for line, target in _imports(path):
            if not _allowed(domain, target):
                bad.append(f"{path.relative_to(ROOT.parent)}:{line} imports {target}")
    return bad


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_reaches_other_domains_only_through_their_services_and_selectors(domain):
    assert _violations(domain) == []


def test_common_depends_on_no_domain():
    bad = [
        f"{path.relative_to(ROOT.parent)}:{line} imports {target}"
        for path in sorted((ROOT / "common").rglob("*.py"))
        for line, target in _imports(path)
        if target.split(".")[1:2] != ["common"]
    ]
    assert bad == []


def test_the_checker_sees_a_cross_domain_import():
    assert not _allowed("sessions", "training.drills.models.evidence")
    assert not _allowed("exams", "training.models")
    assert _allowed("sessions", "training.learning.services.ledger")
    assert _allowed("sessions", "training.common.evidence")
