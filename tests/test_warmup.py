"""Each web process compiles the back office's frame and loads its URLs and catalogues before
its first request (config/warmup.py, called by config/wsgi.py as gunicorn starts a worker)."""

import logging

from django.template import engines

from config.warmup import TEMPLATES, process_warm


def test_the_warm_up_compiles_the_frame_templates_and_names_only_real_ones(caplog):
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    with caplog.at_level(logging.WARNING, logger="config.warmup"):
        process_warm()
    assert not caplog.records, [r.getMessage() for r in caplog.records]
    kept = set(loader.get_template_cache)
    assert set(TEMPLATES) <= kept


def test_the_wsgi_module_warms_the_process(monkeypatch):
    import importlib
    import sys

    called = []
    monkeypatch.setattr("config.warmup.process_warm", lambda: called.append(True))
    # The web processes' statement timeout stays out of the suite's own connections.
    monkeypatch.setattr("config.database.web_statement_timeout", lambda: None)
    monkeypatch.delitem(sys.modules, "config.wsgi", raising=False)
    importlib.import_module("config.wsgi")
    assert called == [True]
