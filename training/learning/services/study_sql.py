"""The everyday heartbeat on PostgreSQL: one SQL statement instead of eleven round trips.

Most reports of a lesson are alike: the person's clock and progress rows exist, the report is
new, and it does not complete the lesson. For those, one statement finds the person by the
account (active, password unchanged), checks the lesson is live and reads its course, locks the clock then the progress row
(the order `lesson_heartbeat` uses), applies the same crediting rule and writes both rows,
committing without waiting for the WAL flush. Everything else -- the first report of a lesson
(enrolment, closed courses), a replayed report, the report that completes the lesson (ledger
entry), a missing person or an unpublished lesson -- is left to `lesson_heartbeat`, the rule's
reference implementation, which also serves SQLite. The statement writes nothing when it
leaves a report to it.
"""

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.database import prepared_fetchone
from content.models import LessonPage
from content.models.courses import study_hour_seconds
from training.learning.services.study import (
    HeartbeatResult,
    presence_next_check_in,
    presence_question,
)

# Clock first, then progress (`progress` needs the person id `clock` locked first): two tabs
# and the ORM path always lock in one order. `verdict.applies` is false when the report is
# left to lesson_heartbeat; then neither UPDATE matches.
HEARTBEAT_SQL = """
WITH clock AS MATERIALIZED (
    SELECT c.person_id, c.last_beat_at, c.seconds_to_check, c.check_prompt
    FROM training_studyclock c
    WHERE c.person_id = (
        SELECT p.id FROM directory_person p JOIN directory_user u ON u.id = p.account_id
        WHERE p.account_id = %(account)s AND u.is_active AND u.password = %(password)s
    )
    FOR UPDATE
), lesson AS MATERIALIZED (
    SELECT l.page_ptr_id AS id,
           (%(presence_everywhere)s OR cp.presence_check) AS presence,
           GREATEST(1, CASE WHEN v.duration <> 0 THEN round(v.duration)::float8
                            ELSE round(l.study_hours * %(hour_seconds)s)::float8 END) AS required
    FROM content_lessonpage l
    JOIN wagtailcore_page lp ON lp.id = l.page_ptr_id AND lp.live
    JOIN wagtailcore_page course ON course.path = left(lp.path, -%(steplen)s)
    JOIN content_coursepage cp ON cp.page_ptr_id = course.id
    LEFT JOIN content_video v ON v.id = l.video_id
    WHERE l.page_ptr_id = %(lesson)s
), progress AS MATERIALIZED (
    SELECT p.id, p.credited_seconds, p.completed_at, p.last_session, p.last_seq
    FROM training_lessonprogress p
    WHERE p.person_id = (SELECT person_id FROM clock) AND p.lesson_id = %(lesson)s
    FOR UPDATE
), credit AS (
    SELECT clock.person_id, clock.last_beat_at, clock.seconds_to_check, clock.check_prompt,
           lesson.presence, lesson.required, progress.id AS progress_id,
           progress.credited_seconds, progress.completed_at,
           (%(session)s <> '' AND %(session)s = progress.last_session
            AND %(seq)s <= progress.last_seq) AS repeated,
           CASE WHEN progress.completed_at IS NOT NULL THEN 0.0::float8
                ELSE LEAST(
                    CASE WHEN clock.last_beat_at IS NOT NULL AND clock.check_prompt = ''
                         THEN GREATEST(0.0, LEAST(
                             %(watched)s,
                             EXTRACT(EPOCH FROM %(now)s - clock.last_beat_at)::float8,
                             %(max_credit)s))
                         ELSE 0.0 END,
                    GREATEST(0.0, lesson.required - progress.credited_seconds))
           END AS credit_now
    FROM clock, lesson, progress
), beat AS (
    SELECT *, credited_seconds + credit_now AS credited_after,
           CASE WHEN credit_now > 0 AND presence
                THEN COALESCE(seconds_to_check, %(next_check)s) - credit_now
                ELSE seconds_to_check END AS to_check
    FROM credit
), verdict AS (
    SELECT *,
           NOT repeated
           AND (completed_at IS NOT NULL OR credited_after < required * %(share)s) AS applies,
           (credit_now > 0 AND presence AND to_check <= 0) AS ask
    FROM beat
), clock_write AS (
    UPDATE training_studyclock c SET
        last_beat_at = CASE WHEN v.last_beat_at IS NULL OR %(now)s > v.last_beat_at
                            THEN %(now)s ELSE v.last_beat_at END,
        seconds_to_check = CASE WHEN v.ask THEN NULL ELSE v.to_check END,
        check_prompt = CASE WHEN v.ask THEN %(prompt)s ELSE c.check_prompt END,
        check_answer = CASE WHEN v.ask THEN %(answer)s ELSE c.check_answer END
    FROM verdict v WHERE c.person_id = (SELECT person_id FROM verdict WHERE applies)
), progress_write AS (
    UPDATE training_lessonprogress p SET
        position_seconds = LEAST(GREATEST(0.0, %(position)s), v.required),
        credited_seconds = v.credited_after,
        last_session = %(session_kept)s,
        last_seq = %(seq)s,
        updated_at = %(stamp)s
    FROM verdict v WHERE p.id = (SELECT progress_id FROM verdict WHERE applies)
)
SELECT v.applies, v.credit_now, v.credited_after, v.required,
       LEAST(GREATEST(0.0, %(position)s), v.required), v.completed_at IS NOT NULL,
       CASE WHEN v.ask THEN %(prompt)s ELSE v.check_prompt END,
       CASE WHEN %(relaxed)s THEN set_config('synchronous_commit', 'off', true) END
FROM verdict v
"""


def lesson_heartbeat_quick(
    *,
    account_id: int,
    password: str,
    lesson_id: int,
    position: float,
    watched: float,
    session: str,
    seq: int,
    now: datetime.datetime | None = None,
) -> HeartbeatResult | None:
    """Apply an everyday report in one statement, or None to leave it to `lesson_heartbeat`.

    The account is checked in the same statement: it must be active and its password hash still
    `password` (the one the caller verified the session against, see
    training.learning.views.front), or nothing is credited and None sends the report to the
    general path, which reads the login the usual way (a deactivated account or one whose password
    changed is logged out there at once).

    Outside a transaction the statement commits on its own, without waiting for the WAL flush
    (heartbeats are worth seconds: see learning._commit_without_waiting_for_disk).
    """
    if connection.vendor != "postgresql":
        return None
    prompt, answer = presence_question()
    params = {
        "account": account_id,
        "password": password,
        "lesson": lesson_id,
        "position": float(position),
        "watched": float(watched),
        "session": session,
        "session_kept": session[:40],
        "seq": seq,
        "now": now or timezone.now(),
        "stamp": timezone.now(),
        "max_credit": float(settings.LEARNING_MAX_CREDIT_SECONDS),
        "share": float(settings.LEARNING_COMPLETION_SHARE),
        "presence_everywhere": bool(settings.LEARNING_PRESENCE_CHECK),
        "next_check": presence_next_check_in(),
        "prompt": prompt,
        "answer": answer,
        "hour_seconds": study_hour_seconds(),
        "steplen": LessonPage.steplen,
        # Inside a caller's transaction, its commit is the caller's to relax, not ours.
        "relaxed": not connection.in_atomic_block,
    }
    row = prepared_fetchone(HEARTBEAT_SQL, params)
    if row is None or not row[0]:
        return None
    _applies, credit, credited, required, position_kept, completed, prompt, _off = row
    return HeartbeatResult(
        credited_now=credit,
        credited_seconds=credited,
        required_seconds=int(required),
        position_seconds=position_kept,
        completed=completed,
        presence_prompt=prompt,
    )
