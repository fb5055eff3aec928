"""Property-based tests (hypothesis) of the exam answer endpoint: whatever a browser (or anyone
holding the attempt's page) posts, the server answers 200 / 400, never errs, stores only options
that exist, and never sends the key or the explanation of a formal exam."""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.constants import AccountRole
from tests.factories.exams import ExamFactory, PaperFactory, QuestionBankFactory
from training.exams.models.banks import LETTERS
from training.models import Attempt, Question

SECRET = "解析不得提前泄露"
SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
ANSWER = st.fixed_dictionaries(
    {},
    optional={
        "position": st.one_of(st.integers(-3, 8), st.integers(), JSON_VALUE),
        "choice": st.one_of(st.text(alphabet="ABCDEFGabcdz对错 ", max_size=8), JSON_VALUE),
        "marked": JSON_VALUE,
    },
)
BODY = st.one_of(
    ANSWER.map(lambda data: json.dumps(data).encode()),
    JSON_VALUE.map(lambda data: json.dumps(data).encode()),
    st.binary(max_size=64),
)


@pytest.fixture
def attempt(client, accounts):
    bank = QuestionBankFactory(single=3, multiple=2, true_false=1)
    Question.objects.update(explanation=SECRET)
    exam = ExamFactory(paper=PaperFactory(bank=bank, score="10"), mode="formal")
    client.force_login(accounts[AccountRole.LEARNER])
    assert client.post(reverse("exams:start", args=[exam.pk])).status_code == 302
    return Attempt.objects.get(exam=exam)


@SETTINGS
@given(body=BODY)
def test_any_body_gets_a_clean_answer_and_stores_only_real_options(client, attempt, body):
    response = client.post(
        reverse("exams:answer", args=[attempt.pk]), body, content_type="application/json"
    )
    assert response.status_code in (200, 400), response.content[:300]
    reply = response.json()
    assert ("saved" in reply) == (response.status_code == 200)
    text = response.content.decode()
    assert SECRET not in text and "feedback" not in reply

    attempt.refresh_from_db()
    assert attempt.is_open
    for position, letters in attempt.answers.items():
        item = attempt.items[int(position)]
        allowed = set(LETTERS[: len(item["o"])])
        assert letters and set(letters) <= allowed, (position, letters)
    assert all(0 <= mark < len(attempt.items) for mark in attempt.marks)
