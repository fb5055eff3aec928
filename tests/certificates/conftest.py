import datetime

import pytest

from certificates.services.issued import certificate_issue


@pytest.fixture
def issue():
    """Issue a certificate with sensible defaults (officer kind, no source)."""

    def make(holder, **overrides):
        values = {
            "title": "重大事故隐患判定标准培训",
            "kind": "officer",
            "hours": 8,
            "issued_on": datetime.date(2026, 3, 20),
        }
        values.update(overrides)
        return certificate_issue(holder=holder, **values)

    return make
