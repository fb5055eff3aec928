"""/healthz: what the load balancer probes. No login, no personal data, 503 naming what is down."""

import pytest
from django.db import OperationalError

from config import health
from config.celery import app as celery_app

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: the connection is refused at once.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def test_healthz_answers_200_when_database_and_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok"},
        "failing": [],
    }
    # A probe must never be answered from a cache.
    assert "no-cache" in response["Cache-Control"]


def test_healthz_needs_no_login_and_sets_no_session(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies


@pytest.fixture
def unreachable_broker(monkeypatch):
    _point_broker_away(monkeypatch)


def _point_broker_away(patch) -> None:
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration, so both
    # are pointed away (CI sets the variable). The configuration first: monkeypatch restores the
    # value it read, which must not already be the environment's unreachable one.
    patch.setattr(celery_app.conf, "broker_url", UNREACHABLE_BROKER)
    patch.setenv("CELERY_BROKER_URL", UNREACHABLE_BROKER)


def test_healthz_answers_503_naming_the_broker_when_it_is_down(client, unreachable_broker):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "broker": "down"},
        "failing": ["broker"],
    }


def test_broker_check_recovers_when_the_broker_is_back(client, monkeypatch):
    with monkeypatch.context() as patch:
        _point_broker_away(patch)
        assert client.get("/healthz").status_code == 503

    assert client.get("/healthz").status_code == 200


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server")


def test_healthz_answers_503_naming_the_database_when_it_is_down(client, monkeypatch):
    monkeypatch.setattr(health, "connection", _BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert response.json()["checks"]["database"] == "down"


def test_healthz_names_both_when_both_are_down(client, monkeypatch, unreachable_broker):
    monkeypatch.setattr(health, "connection", _BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert sorted(response.json()["failing"]) == ["broker", "database"]
