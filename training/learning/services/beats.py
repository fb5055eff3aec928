"""The everyday heartbeat in Redis, written behind to the database.

While a learner watches one lesson, each report (every 15 s) is credited by one Lua script in
the shared Redis, next to the logins' sessions: no database statement and no session read in
Python. The script applies the crediting rule of `study.lesson_heartbeat` to a copy of the
person's clock and of that lesson's progress row (the *state*), and only after checking, in the
same call, that

- the session of the request's cookie still exists (logging out deletes it, on every host), and
- the account is still active with the same password: every save of an account and every bulk
  update of `is_active` or `password` replaces its mark with a tombstone (directory.models.accounts).

Everything else goes to the database path (`lesson_heartbeat`): the first report of a login or
a lesson, a lesson left for another, the report that completes a lesson (ledger entry), the one
that raises the presence check, a replayed report after the state was written back. That path
locks the clock, *claims* the state (takes it out of Redis and writes it to the rows), applies
the report and, when the lesson goes on, puts a fresh state back before its commit. States
change only in Redis (atomically) or under the clock's row lock, so the rows and the state are
never both ahead.

A state is written to its rows when the database path claims it, when a page shows the person's
progress (`person_sync`), and by the beat's `learning.beats_write_behind` every minute for states
changed more than a minute ago (the ones idle for five minutes leave Redis). The rows lag the
learner by at most about two minutes; a completion, a presence check and the ledger never lag.

Redis here keeps nothing on disk: if it restarts, what was credited since the last write-behind
(at most about two minutes per learner watching) is lost, and the learner's next report takes
the database path. Writing back never moves credit, the clock or a report's sequence backwards.

Off (the database path only) unless sessions are cached_db on Django's Redis cache.
"""

import datetime
import hashlib
import logging
import os
import threading

from django.conf import settings
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_CACHE_PREFIX
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from redis.exceptions import NoScriptError, RedisError

from content.models import CoursePage, LessonPage
from training.learning.models.progress import LessonProgress, StudyClock
from training.learning.services import study  # its names are read when called (it imports this)

logger = logging.getLogger(__name__)

SESSION_ENGINES = ("django.contrib.sessions.backends.cached_db",)
# A state changed longer ago than this is written to its rows; idle this long, it leaves Redis.
WRITE_BEHIND_SECONDS = 60
IDLE_SECONDS = 300
# An account's tombstone outlives any request that read the account before it was changed.
TOMBSTONE_SECONDS = 120

# KEYS: [1] the login's binding, [2] the session in the cache. ARGV: 1 lesson, 2 position,
# 3 watched, 4 player session, 5 seq, 6 now (epoch s), 7 most credit per report,
# 8 seconds to the next presence check if none is due, 9 the prefix of this module's keys
# (`account:<id>`, `person:<id>` the state, `due` the states to write back, scored by when
# they were last written or put in Redis, `content` the generation of courses, lessons and
# videos), 10 the completion share, 11 '1' when every course asks the presence check.
# The state is one string of STATE_FIELDS, separated by spaces ("-" for none), the player's
# session last (it may hold spaces): one pattern match reads it, one format writes it.
# Returns "0 <why>" to leave the report to the database path (nothing written), or
# "1 <credited now> <credited after> <required> <position>".
BEAT_LUA = """
local who = redis.call('GET', KEYS[1])
if not who then return '0 login' end
if redis.call('EXISTS', KEYS[2]) == 0 then return '0 session' end
local account, person, mark = string.match(who, '^(%d+):(%d+):(%w+)$')
if not account then return '0 login' end
local base = ARGV[9]
if redis.call('GET', base .. 'account:' .. account) ~= mark then return '0 account' end
local key = base .. 'person:' .. person
local raw = redis.call('GET', key)
if not raw then return '0 state' end
local lesson, last, to_check, credited, required, gen, presence, seq, position, _, session =
  string.match(raw, '^(%S+) (%S+) (%S+) (%S+) (%S+) (%S+) (%S+) (%S+) (%S+) (%S+) (.*)$')
if lesson ~= ARGV[1] then return '0 state' end
if (redis.call('GET', base .. 'content') or '0') ~= gen then return '0 content' end
if ARGV[4] ~= '' and ARGV[4] == session and tonumber(ARGV[5]) <= tonumber(seq) then
  return '1 0 ' .. credited .. ' ' .. required .. ' ' .. position
end
local now = tonumber(ARGV[6])
last = tonumber(last)
required = tonumber(required)
credited = tonumber(credited)
local credit = 0
if last then
  credit = math.max(0, math.min(tonumber(ARGV[3]), now - last, tonumber(ARGV[7])))
end
credit = math.min(credit, math.max(0, required - credited))
local after = credited + credit
if after >= required * tonumber(ARGV[10]) then return '0 complete' end
if credit > 0 and (presence == '1' or ARGV[11] == '1') then
  local left = (tonumber(to_check) or tonumber(ARGV[8])) - credit
  if left <= 0 then return '0 presence' end
  to_check = string.format('%.6f', left)
end
if not last or now > last then last = now end
position = math.min(math.max(0, tonumber(ARGV[2])), required)
redis.call('SET', key, string.format('%s %.6f %s %.6f %d %s %s %s %.6f %s %s', lesson, last,
           to_check, after, required, gen, presence, ARGV[5], position, ARGV[6],
           string.sub(ARGV[4], 1, 40)))
return string.format('1 %.6f %.6f %d %.6f', credit, after, required, position)
"""
BEAT_SHA = hashlib.sha1(BEAT_LUA.encode()).hexdigest()  # noqa: S324 - Redis names scripts so

# KEYS: [1] the state, [2] the states to write back. ARGV: 1 person, 2 '1' to take the state
# out of Redis, 3 now (a state kept is due again a minute after). Returns the state (nil: none).
TAKE_LUA = """
local s = redis.call('GET', KEYS[1])
if ARGV[2] == '1' or not s then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
end
return s
"""


def _cache():
    return caches[settings.SESSION_CACHE_ALIAS]


def enabled() -> bool:
    return settings.SESSION_ENGINE in SESSION_ENGINES and isinstance(_cache(), RedisCache)


def _client():
    return _cache()._cache.get_client(write=True)


_own = threading.local()  # this thread's connection and key prefixes (see _send, _key_prefixes)


def _key_prefixes(cache=None) -> tuple[str, str]:
    """The full Redis key prefixes of this module's keys and of cached sessions (with the cache's
    KEY_PREFIX and VERSION), worked out once per cache object."""
    cache = cache or _cache()
    known = getattr(_own, "prefixes", None)
    if known is None or known[0] is not cache:
        known = _own.prefixes = (
            cache,
            cache.make_key("learning-beat:"),
            cache.make_key(SESSION_CACHE_PREFIX),
        )
        if cache.make_key("learning-beat:x") != known[1] + "x":
            raise ImproperlyConfigured("The heartbeat needs the cache's default KEY_FUNCTION.")
    return known[1], known[2]


def _key(name: str) -> str:
    return _key_prefixes()[0] + name


def _take_script(client):
    script = getattr(client, "_learning_beat_take", None)
    if script is None:
        script = client._learning_beat_take = client.register_script(TAKE_LUA)
    return script


def account_mark(password: str) -> str:
    """What stands for an account's password hash in Redis (keyed by SECRET_KEY)."""
    return salted_hmac("learning-beat", password, algorithm="sha256").hexdigest()[:32]


# --- the everyday report ---------------------------------------------------------------------


def _forget_connection() -> None:
    """In a forked child (a gunicorn worker, a Celery pool process): the parent's socket is not
    this process's to use."""
    _own.__dict__.clear()


os.register_at_fork(after_in_child=_forget_connection)


def _send(client, command: tuple):
    """One command on this thread's own connection to the client's Redis, made from its pool's
    settings: without the pool's checks on every borrowing (a poll of the socket), and without
    redis-py's per-command machinery (retries, events, metrics), which together cost as much as
    the round trip. A connection that fails is dropped (the next report makes a new one) and the
    caller leaves the report to the database path."""
    pool = client.connection_pool
    connection = getattr(_own, "connection", None)
    if connection is None or _own.pool is not pool:
        connection = pool.connection_class(**pool.connection_kwargs)
        _own.connection, _own.pool = connection, pool
    try:
        connection.send_command(*command)
        return connection.read_response()
    except NoScriptError:
        raise
    except BaseException:
        _own.connection = None
        connection.disconnect()
        raise


def beat(*, session_key: str | None, report: dict, now: datetime.datetime):
    """Apply a report in Redis, or None to leave it to the database path. Only when `enabled()`."""
    if not session_key:
        return None
    cache = _cache()
    base, sessions = _key_prefixes(cache)
    command = (
        "EVALSHA",
        BEAT_SHA,
        2,
        f"{base}login:{session_key}",
        sessions + session_key,
        report["lesson_id"],
        repr(float(report["position"])),
        repr(float(report["watched"])),
        report["session"],
        report["seq"],
        repr(now.timestamp()),
        int(settings.LEARNING_MAX_CREDIT_SECONDS),
        repr(study.presence_next_check_in()),
        base,
        repr(float(settings.LEARNING_COMPLETION_SHARE)),
        "1" if settings.LEARNING_PRESENCE_CHECK else "0",
    )
    try:
        client = cache._cache.get_client(write=True)
        try:
            answer = _send(client, command)
        except NoScriptError:  # a Redis that restarted or was flushed: load it once more
            client.script_load(BEAT_LUA)
            answer = _send(client, command)
    except RedisError:
        logger.warning("Heartbeat in Redis failed; the database path takes it", exc_info=True)
        return None
    fields = answer.split()
    if fields[0] != b"1":
        return None
    return study.HeartbeatResult(
        credited_now=float(fields[1]),
        credited_seconds=float(fields[2]),
        required_seconds=int(fields[3]),
        position_seconds=float(fields[4]),
        completed=False,
        presence_prompt="",
    )


def login_remember(*, session_key: str | None, user, person, expiry_seconds: int) -> None:
    """After the database path verified the login the usual way: let the session's next
    reports be credited in Redis. An account whose mark is a tombstone (changed moments ago)
    keeps the database path until the tombstone expires."""
    if not session_key or not enabled():
        return
    mark = account_mark(user.password)
    try:
        client = _client()
        pipe = client.pipeline(transaction=False)
        pipe.set(_key(f"account:{user.pk}"), mark, ex=settings.SESSION_COOKIE_AGE, nx=True)
        pipe.set(
            _key(f"login:{session_key}"),
            f"{user.pk}:{person.pk}:{mark}",
            ex=max(1, int(expiry_seconds)),
        )
        pipe.execute()
    except RedisError:
        logger.warning("Could not remember the login for the heartbeat", exc_info=True)


def accounts_changed(account_ids) -> None:
    """Accounts saved or updated: their next reports take the database path, which reads the
    account (deactivated: not credited; new password: the old sessions are logged out)."""
    ids = list(account_ids)
    if not ids or not enabled():
        return
    client = _client()  # a Redis that cannot be reached fails the change: no mark outlives it
    pipe = client.pipeline(transaction=False)
    for account_id in ids:
        pipe.set(_key(f"account:{account_id}"), "changed", ex=TOMBSTONE_SECONDS)
    pipe.execute()


def person_link_changing(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """A person about to be saved (pre_save): an account it leaves is told as accounts_changed
    (a login's reports name the person they credit). The account it takes needs nothing: it had
    no person, or was left by its last one first, which told it then."""
    if raw or instance.pk is None or not enabled():
        return
    if update_fields is not None and "account" not in update_fields:
        return
    before = (
        sender._base_manager.filter(pk=instance.pk).values_list("account_id", flat=True).first()
    )
    if before and before != instance.account_id:
        accounts_changed([before])


def person_deleted(sender, instance, **kwargs) -> None:
    accounts_changed([instance.account_id] if instance.account_id else [])


# --- writing states back ---------------------------------------------------------------------

STATE_FIELDS = (
    "lesson", "last", "to_check", "credited", "required", "gen", "presence", "seq",
    "position", "changed", "session",
)  # fmt: skip
_NUMBERS = {"last", "to_check", "credited", "position", "changed"}


def _state_encode(state: dict) -> str:
    def text(name):
        value = state[name]
        if value is None:
            return "-"
        if name == "presence":
            return "1" if value else "0"
        return repr(float(value)) if name in _NUMBERS else str(value)

    return " ".join(text(name) for name in STATE_FIELDS[:-1]) + " " + state["session"]


def _state_decode(raw: str) -> dict:
    values = raw.split(" ", len(STATE_FIELDS) - 1)
    state = dict(zip(STATE_FIELDS, values, strict=True))
    for name in _NUMBERS:
        state[name] = None if state[name] == "-" else float(state[name])
    state["lesson"], state["required"], state["seq"] = (
        int(state["lesson"]),
        int(state["required"]),
        int(state["seq"]),
    )
    state["presence"] = state["presence"] == "1"
    return state


def _take(client, person_id: int, *, remove: bool) -> dict:
    raw = _take_script(client)(
        keys=[_key(f"person:{person_id}"), _key("due")],
        args=[person_id, "1" if remove else "0", repr(timezone.now().timestamp())],
        client=client,
    )
    return _state_decode(raw.decode()) if raw else {}


def _moment(epoch) -> datetime.datetime | None:
    return datetime.datetime.fromtimestamp(float(epoch), tz=datetime.UTC) if epoch else None


def _write(person_id: int, clock: StudyClock, state: dict) -> None:
    """A state's values into the (locked) clock and the lesson's progress row, never backwards."""
    if not state:
        return
    last = _moment(state.get("last"))
    if last and (clock.last_beat_at is None or last > clock.last_beat_at):
        clock.last_beat_at = last
    to_check = state.get("to_check")
    clock.seconds_to_check = float(to_check) if to_check is not None else None
    clock.save(update_fields=["last_beat_at", "seconds_to_check"])
    LessonProgress.objects.filter(
        person_id=person_id, lesson_id=int(state["lesson"]), completed_at__isnull=True
    ).update(
        position_seconds=float(state["position"]),
        credited_seconds=Greatest("credited_seconds", float(state["credited"])),
        last_session=state.get("session", "")[:40],
        last_seq=int(state.get("seq") or 0),
        updated_at=_moment(state.get("changed")) or timezone.now(),
    )


def claim(*, person_id: int, clock: StudyClock) -> None:
    """Inside the database path, the clock locked: take the person's state out of Redis into
    the rows (the report then reads them)."""
    if not enabled():
        return
    try:
        state = _take(_client(), person_id, remove=True)
    except RedisError:
        logger.warning("Could not claim the heartbeat state of %s", person_id, exc_info=True)
        return
    _write(person_id, clock, state)


def content_generation() -> bytes | None:
    """The generation of courses, lessons and videos, read before a report's lesson is: passed
    to `seed`, it spares reading the lesson again there. None when Redis is off or unreachable."""
    if not enabled():
        return None
    try:
        return _client().get(_key("content")) or b"0"
    except RedisError:
        return None


def seed(
    *,
    clock: StudyClock,
    progress: LessonProgress,
    lesson: LessonPage | None = None,
    course: CoursePage | None = None,
    generation: bytes | None = None,
) -> None:
    """Inside the database path, its writes done and the clock still locked: the next reports
    of this lesson are credited in Redis, from these values. `lesson` and `course` are used as
    read only with the `generation` read before them; otherwise both are read again here."""
    if not enabled() or progress.completed_at is not None or clock.check_prompt:
        return
    try:
        client = _client()
        if generation is None or lesson is None or course is None:
            # Read after the generation: a change committed since the report read the lesson has
            # moved it on (content_changed), and this state fails its check.
            generation = client.get(_key("content")) or b"0"
            lesson = (
                LessonPage.objects.live()
                .select_related("video")
                .filter(pk=progress.lesson_id)
                .first()
            )
            course = (
                CoursePage.objects.filter(path=lesson.path[: -lesson.steplen]).first()
                if lesson is not None
                else None
            )
            if course is None:
                return
        now = timezone.now().timestamp()
        state = {
            "lesson": progress.lesson_id,
            "last": clock.last_beat_at.timestamp() if clock.last_beat_at else None,
            "to_check": clock.seconds_to_check,
            "credited": float(progress.credited_seconds),
            "required": lesson.required_seconds(),
            "gen": generation.decode(),
            "presence": bool(course.presence_check),
            "session": progress.last_session,
            "seq": progress.last_seq,
            "position": float(progress.position_seconds),
            "changed": now,
        }
        pipe = client.pipeline(transaction=True)
        pipe.set(_key(f"person:{progress.person_id}"), _state_encode(state))
        pipe.zadd(_key("due"), {str(progress.person_id): now}, nx=True)
        pipe.execute()
    except RedisError:
        logger.warning("Could not keep the heartbeat state in Redis", exc_info=True)


def content_changed(sender=None, **kwargs) -> None:
    """A course, lesson or video saved, published, unpublished, moved or deleted: once committed,
    every state fails its check and its next report takes the database path, which reads the
    lesson (live, its course, the seconds it needs) again."""
    if not enabled():
        return

    def bump():
        try:
            _client().incr(_key("content"))
        except RedisError:
            logger.error("Heartbeat states were not told of a change of content", exc_info=True)

    transaction.on_commit(bump)


def _sync(client, person_id: int, *, remove: bool) -> None:
    with transaction.atomic():
        clock = StudyClock.objects.select_for_update().filter(person_id=person_id).first()
        state = _take(client, person_id, remove=remove)
        if clock is not None:
            _write(person_id, clock, state)


def person_sync(person, *, remove: bool = False) -> None:
    """The person's state written to the rows, in a transaction of its own: before a page shows
    their progress, or (`remove`, taken out of Redis) before the database path applies a report."""
    if person is None or not enabled():
        return
    try:
        client = _client()
        if client.exists(_key(f"person:{person.pk}")):
            _sync(client, person.pk, remove=remove)
    except RedisError:
        logger.warning("Could not write back the heartbeat state of %s", person.pk, exc_info=True)


def write_behind(*, now: datetime.datetime | None = None) -> dict:
    """Every state last written back (or put in Redis) more than WRITE_BEHIND_SECONDS ago,
    written to its rows; one no report changed for IDLE_SECONDS is also taken out of Redis.
    How many were written and how many of them removed."""
    if not enabled():
        return {"written": 0, "removed": 0}
    moment = (now or timezone.now()).timestamp()
    client = _client()
    due = client.zrangebyscore(_key("due"), "-inf", moment - WRITE_BEHIND_SECONDS)
    removed = 0
    for member in due:
        person_id = int(member)
        raw = client.get(_key(f"person:{person_id}"))
        changed = _state_decode(raw.decode())["changed"] if raw else None
        idle = changed is None or changed <= moment - IDLE_SECONDS
        _sync(client, person_id, remove=idle)
        removed += idle
    return {"written": len(due), "removed": removed}
