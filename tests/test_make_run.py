"""`make run` in a terminal: a quiet start, and one Ctrl-C stops web server, worker and beat.

The real Makefile target runs in a pseudo-terminal of its own (a new session whose foreground
process group is make, as in a terminal window) on a free port, with a var folder of its own
(VAR_DIR: its SQLite file, broker folders, cache and media) and the embedded defaults, so neither
the suite's database nor a developer's `make run` is touched. Once /healthz answers, SIGINT goes
to the foreground process group, as the terminal sends it on Ctrl-C.

Every process `make run` starts inherits VAR_DIR, so the processes left over are found by it in
/proc, whatever their process group or session.
"""

import os
import pty
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The demo town (~10 s) is seeded before the three processes start; the limits leave room for a
# machine under load.
READY_TIMEOUT = 300
STOP_TIMEOUT = 30
GONE_TIMEOUT = 10
# Variables that would point `make run` at the suite's services or folders, or make it a sub-make;
# and those a test worker of Celery leaves in this process (CELERY_LOG_LEVEL, _MP_FORK_LOGLEVEL_…).
INHERITED_NOT_PREFIXES = ("CELERY_", "_MP_FORK_")
INHERITED_NOT = {
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CACHE_URL",
    "MEDIA_ROOT",
    "PRIVATE_MEDIA_ROOT",
    "PORT",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "MAKEOVERRIDES",
}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def processes_with(marker: str) -> dict[int, str]:
    """Command lines of the running processes whose environment holds marker (NAME=value)."""
    found = {}
    wanted = marker.encode()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes().split(b"\0")
            if wanted in environ:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
                found[int(entry)] = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:  # gone meanwhile, or a zombie
            continue
    return found


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


class Terminal:
    """A command in a pseudo-terminal of its own; everything it writes is kept."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: a new session with the terminal as controlling tty
            try:
                os.chdir(ROOT)
                os.execvpe(argv[0], argv, env)  # noqa: S606
            finally:
                os._exit(127)
        self._output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.status: int | None = None

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: every process holding the terminal has closed it
                return
            if not data:
                return
            self._output.extend(data)

    @property
    def output(self) -> str:
        text = bytes(self._output).decode(errors="replace")
        return ANSI.sub("", text).replace("\r", "")

    def exited(self) -> bool:
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
        return self.status is not None

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.exited():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        self._reader.join(timeout=5)
        return True

    def close(self) -> None:
        if not self.exited():
            os.killpg(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


@pytest.mark.slow
@pytest.mark.own_database
def test_make_run_starts_quietly_and_one_ctrl_c_stops_every_process(tmp_path, migrated_sqlite):
    port = free_port()
    var_dir = tmp_path / "var"
    # A database already migrated, as after a first run (migrating from nothing is what the
    # suite's own test database does): `migrate` has nothing to apply, the demo town is seeded.
    var_dir.mkdir()
    shutil.copyfile(migrated_sqlite, var_dir / "db.sqlite3")
    marker = f"VAR_DIR={var_dir}"
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in INHERITED_NOT and not name.startswith(INHERITED_NOT_PREFIXES)
    }
    env.update(VAR_DIR=str(var_dir), TERM="xterm")
    started = time.monotonic()
    terminal = Terminal(["make", "run", f"PORT={port}"], env)
    try:
        up = wait_for(lambda: healthy(port) or terminal.exited(), READY_TIMEOUT)
        assert up and not terminal.exited(), f"`make run` did not come up:\n{terminal.output}"
        ready_after = time.monotonic() - started
        running = processes_with(marker)
        commands = "\n".join(running.values())
        for part in ("config.run", "manage.py runserver", "celery", " worker ", " beat "):
            assert part in commands, f"no {part.strip()} process among:\n{commands}"

        os.killpg(terminal.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        assert terminal.wait(STOP_TIMEOUT), (
            f"`make run` still runs after Ctrl-C:\n{terminal.output}"
        )
        gone = wait_for(lambda: not processes_with(marker), GONE_TIMEOUT)
        left = processes_with(marker)
        assert gone, f"left running after Ctrl-C: {left}\n{terminal.output}"
    finally:
        terminal.close()
        for pid in processes_with(marker):  # only when the test failed: leave nothing behind
            os.kill(pid, signal.SIGKILL)

    output = terminal.output
    # make dies of the SIGINT it was sent, as after any Ctrl-C, and has nothing to report.
    assert terminal.status in (0, -signal.SIGINT), output
    for noise in (
        "Segmentation fault",
        "make: ***",
        "Error",
        "Traceback",
        "WARNING",
        "models.W040",
        "No hostname was supplied",
        "superuser privileges",
    ):
        assert noise not in output, f"{noise!r} in the output of `make run`:\n{output}"
    # What a newcomer needs: the addresses and the demo logins.
    assert f"http://127.0.0.1:{port}/me/" in output
    assert f"http://127.0.0.1:{port}/admin/" in output
    assert re.search(r"username +role +password", output), output
    for username in ("admin", "town", "dept", "village", "manager", "learner", "editor"):
        assert re.search(rf"^  {username} ", output, re.MULTILINE), output
    print(f"make run answered /healthz {ready_after:.0f} s after it started")  # noqa: T201


def _honcho(procfile: Path) -> subprocess.Popen:
    """config.run (what `make run` execs) on a Procfile of the test's, in a session of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "config.run", "--app-root", str(procfile.parent), "--no-colour"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def test_a_stop_asked_for_ends_the_run_with_0_and_no_process_left(tmp_path):
    marker = f"XUJING_TEST_RUN={tmp_path}"
    (tmp_path / "Procfile").write_text("sleeper: sleep 300\nother: sleep 300\n")
    env_file = tmp_path / ".env"
    env_file.write_text(f"{marker}\n")  # honcho passes .env to its processes
    run = _honcho(tmp_path / "Procfile")
    try:
        assert wait_for(lambda: len(processes_with(marker)) >= 2, 30), run.stdout
        os.killpg(run.pid, signal.SIGINT)
        output, _ = run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 0, output
    assert "SIGINT received" in output
    assert wait_for(lambda: not processes_with(marker), GONE_TIMEOUT), processes_with(marker)


def test_a_process_that_fails_by_itself_ends_the_run_with_its_code(tmp_path):
    (tmp_path / "Procfile").write_text("failing: sleep 1; exit 3\nsleeper: sleep 300\n")
    run = _honcho(tmp_path / "Procfile")
    try:
        output, _ = run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == 3, output
    assert "failing.1 stopped (rc=3)" in output
