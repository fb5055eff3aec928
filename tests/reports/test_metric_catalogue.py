"""The metric catalogue is plain data the models read; the computing classes are keyed to it."""

import ast
import pathlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from reports.metrics import REGISTRY, Metric, metric_list, register
from reports.metrics.catalogue import CATALOGUE, Kind, catalogue_choices
from reports.models.targets import Target

ROOT = pathlib.Path(__file__).parents[2]


def imports_of(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_every_catalogue_entry_has_its_computing_class_and_no_more():
    assert [m.code for m in metric_list()] == [code for code, _label in catalogue_choices()]
    assert set(REGISTRY) == {entry.code for entry in CATALOGUE}


def test_a_computing_class_takes_label_unit_and_kind_from_its_entry():
    for entry in CATALOGUE:
        metric = REGISTRY[entry.code]
        assert (metric.label, metric.unit, metric.kind, metric.order) == (
            entry.label,
            entry.unit,
            entry.kind,
            entry.order,
        )
    assert REGISTRY["exemplary_enterprises"].kind == Kind.COUNT


def test_a_target_offers_the_catalogue_as_its_metric_choices():
    assert Target._meta.get_field("metric").choices == catalogue_choices()


def test_a_class_for_a_metric_not_in_the_catalogue_is_refused():
    class Uncatalogued(Metric):
        code = "uncatalogued"

    with pytest.raises(ImproperlyConfigured):
        register(Uncatalogued)
    assert "uncatalogued" not in REGISTRY


def test_the_reports_models_import_the_catalogue_not_the_computing_modules():
    for path in (ROOT / "reports" / "models").glob("*.py"):
        metrics_imports = {m for m in imports_of(path) if m and m.startswith("reports.metrics")}
        assert metrics_imports <= {"reports.metrics.catalogue"}, path
    catalogue = imports_of(ROOT / "reports" / "metrics" / "catalogue.py")
    assert not any(
        m.startswith(("reports", "directory", "training", "certificates")) for m in catalogue
    )
