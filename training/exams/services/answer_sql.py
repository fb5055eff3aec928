"""A contest's everyday answer on PostgreSQL: one statement instead of four round trips.

At a contest's start hundreds of participants autosave an answer every few seconds. Most saves
are alike: the attempt is the visitor's, in progress and within its deadline, the position and
the letters exist, and the exam is not in practice mode (which replies with feedback). For those
one UPDATE checks all of that, maps the letters shown to the question's own (the order drawn
in `items`), stores or clears the answer, sets or clears the mark and commits: the row lock it
takes is the one `attempt_answer_save` takes, and PostgreSQL re-reads the row when another save
to the same attempt committed first, so two tabs' answers to different questions both stay.
Everything else -- a closed or expired attempt (graded there), another visitor's attempt, a
position or a letter that does not exist, a practice exam -- matches no row and is left to
`attempt_answer_save`, the rule's reference implementation, which also serves SQLite.
"""

import datetime

from django.db import connection
from django.utils import timezone

from config.database import prepared_fetchone
from training.exams.models.attempts import AttemptStatus
from training.exams.models.banks import LETTERS
from training.exams.models.papers import ExamMode

OPTIONS = frozenset(LETTERS)

# `arg`: the parameters, typed once. `shown`: the index (1-based) of each letter shown, one row
# each (none for ""; the caller sends letters only); its own letter is found by that index in the
# item's option order "o".
ANSWER_SQL = """
WITH arg AS (
    SELECT %(attempt)s::bigint AS attempt, %(position)s::int AS position, %(key)s::text AS key,
           %(choice)s::text AS choice, %(letters)s::text AS letters, %(marked)s::boolean AS marked,
           %(account)s::bigint AS account, %(held)s::bigint[] AS held,
           %(now)s::timestamptz AS now, %(started)s::text AS started,
           %(practice)s::text AS practice
), shown AS (
    SELECT strpos(arg.letters, substr(arg.choice, i, 1)) AS n
    FROM arg, generate_series(1, length(arg.choice)) AS i
), taker AS (
    SELECT p.id FROM directory_person p, arg WHERE p.account_id = arg.account
)
UPDATE training_attempt a SET
    answers = CASE
        WHEN arg.choice = '' THEN a.answers - arg.key
        ELSE jsonb_set(a.answers, ARRAY[arg.key], to_jsonb((
            SELECT string_agg(DISTINCT own, '' ORDER BY own) FROM (
                SELECT substr(arg.letters, (a.items -> arg.position -> 'o' ->> (n - 1))::int + 1, 1)
                       AS own
                FROM shown
            ) mapped
        )))
    END,
    marks = CASE
        WHEN arg.marked IS NULL THEN a.marks
        ELSE (
            SELECT COALESCE(jsonb_agg(mark ORDER BY mark), '[]'::jsonb) FROM (
                SELECT value::int AS mark FROM jsonb_array_elements_text(a.marks)
                WHERE value::int <> arg.position
                UNION
                SELECT arg.position WHERE arg.marked
            ) kept
        )
    END
FROM arg, training_exam e
WHERE a.id = arg.attempt
  AND e.id = a.exam_id
  AND e.mode <> arg.practice
  AND a.archived_at IS NULL
  AND a.status = arg.started
  AND a.deadline > arg.now
  AND (a.participant_id = ANY(arg.held)
       OR a.person_id = (SELECT id FROM taker)
       OR a.participant_id IN (
           SELECT cp.id FROM training_contestparticipant cp
           WHERE cp.person_id = (SELECT id FROM taker)))
  AND arg.position >= 0 AND arg.position < jsonb_array_length(a.items)
  AND NOT EXISTS (
      SELECT 1 FROM shown
      WHERE n > jsonb_array_length(a.items -> arg.position -> 'o'))
RETURNING a.deadline
"""


def attempt_answer_quick(
    *,
    attempt_id: int,
    position: int,
    choice: str,
    marked: bool | None,
    account_id: int | None,
    participant_ids: list[int],
    now: datetime.datetime | None = None,
) -> datetime.datetime | None:
    """Store an everyday answer in one statement and return the attempt's deadline, or None to
    leave the answer to `attempt_answer_save` (nothing is written then).

    The visitor's right to the attempt is checked in the statement, as `_attempts_of` in the
    view defines it: the registry person of `account_id` took it (as themself or as a contest
    participant they joined as), or it belongs to one of the `participant_ids` the browser's
    signed cookie holds.
    """
    choice = (choice or "").upper()
    # Only option letters reach the statement (a NUL or a lone surrogate could not even be sent).
    if connection.vendor != "postgresql" or not 0 <= position < 2**15 or set(choice) - OPTIONS:
        return None
    params = {
        "attempt": attempt_id,
        "position": position,
        "key": str(position),
        "choice": choice,
        "letters": LETTERS,
        "marked": marked,
        "account": account_id,
        "held": list(participant_ids),
        "now": now or timezone.now(),
        "started": AttemptStatus.STARTED.value,
        "practice": ExamMode.PRACTICE.value,
    }
    row = prepared_fetchone(ANSWER_SQL, params)
    return None if row is None else row[0]
