"""`python -m assistant ...` for the tests, without paying the imports each time.

A command run as its own interpreter spends about six seconds importing torch,
sentence-transformers, Chroma and Gradio before it does anything; the suite runs dozens. Here
one warm process per test session (the "zygote") imports them once and forks a child for each
command. The child is a real separate process, as a user's would be: it gets the command's
arguments (bytes too), environment, working directory and files for its standard streams, runs
`assistant` as `__main__`, and exits with the command's code (or dies by a signal, which
`returncode` shows as a negative number, as `subprocess` does). Nothing is run by the zygote
itself: no model is loaded and no thread started before a fork.

`run` is `subprocess.run(..., capture_output=True)` for a command; `start` is `Popen`-like (pid,
poll, wait, terminate, kill) for one that keeps running (the app, an ingest to be killed).
`cold_run` and `cold_start` start a fresh interpreter instead (the entry point's own test,
the benchmarks of start-up and memory).
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
Arg = str | bytes | os.PathLike

ZYGOTE = r'''
import json, os, signal, sys
from base64 import b64decode
from pathlib import Path

ROOT, EXITS = sys.argv[1], Path(sys.argv[2])
sys.path.insert(0, ROOT)
import assistant.cli, assistant.ui.app, sentence_transformers, torch  # the slow imports
import atexit, runpy, traceback

owners = {}  # child pid -> token of its exit file
early = {}  # exit codes of children reaped before their token was noted


def note_exit(pid, code):
    token = owners.pop(pid, None)
    if token is None:
        early[pid] = code
        return
    part = EXITS / (token + ".part")
    part.write_text(str(code))
    part.replace(EXITS / token)


def reap(signum, frame):
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        note_exit(pid, os.waitstatus_to_exitcode(status))


def child(request):
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    code = 1
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        for fd, name, flags in ((0, request["stdin"], os.O_RDONLY),
                                (1, request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_APPEND),
                                (2, request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_APPEND)):
            opened = os.open(name, flags, 0o644)
            os.dup2(opened, fd)
            os.close(opened)
        args = [os.fsdecode(b64decode(arg)) for arg in request["argv"]]
        try:
            if request["code"] is None:
                sys.argv = ["-m", *args]
                runpy.run_module("assistant", run_name="__main__", alter_sys=True)
            else:
                sys.argv = ["-c", *args]
                exec(compile(request["code"], "<string>", "exec"), {"__name__": "__main__"})
            code = 0
        except SystemExit as done:
            if done.code is None or isinstance(done.code, int):
                code = done.code or 0
            else:
                print(done.code, file=sys.stderr)
                code = 1
        except BaseException:
            traceback.print_exc()
            code = 1
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
    finally:
        os._exit(code)


signal.signal(signal.SIGCHLD, reap)
os.write(1, b"ready\n")
pending = b""
while True:
    while b"\n" not in pending:
        more = os.read(0, 1 << 16)
        if not more:
            os._exit(0)
        pending += more
    line, pending = pending.split(b"\n", 1)
    request = json.loads(line)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    pid = os.fork()
    if pid == 0:
        child(request)
    owners[pid] = request["token"]
    if pid in early:
        note_exit(pid, early.pop(pid))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    os.write(1, json.dumps({"pid": pid}).encode() + b"\n")
'''


class _Zygote:
    """The warm process (started on first use, ended with the test session)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self.exits = Path(tempfile.mkdtemp(prefix="ftz-zygote-"))
        atexit.register(self.stop)  # (once: a restarted zygote is the same one to stop)

    def fork(self, request: dict) -> int:
        with self._lock:
            process = self._started()
            process.stdin.write(json.dumps(request).encode() + b"\n")  # type: ignore[union-attr]
            process.stdin.flush()  # type: ignore[union-attr]
            reply = process.stdout.readline()  # type: ignore[union-attr]
        if not reply:
            raise RuntimeError(f"the zygote ended: {(self.exits / 'zygote.log').read_text()}")
        return int(json.loads(reply)["pid"])

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                   "TOKENIZERS_PARALLELISM": "false", "GRADIO_ANALYTICS_ENABLED": "False",
                   "ANONYMIZED_TELEMETRY": "False"}
            with (self.exits / "zygote.log").open("wb") as log:
                self._process = subprocess.Popen(
                    [sys.executable, "-c", ZYGOTE, str(ROOT), str(self.exits)], cwd=ROOT,
                    env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log)
            if self._process.stdout.readline() != b"ready\n":  # type: ignore[union-attr]
                raise RuntimeError(f"the zygote did not start: "
                                   f"{(self.exits / 'zygote.log').read_text()}")
        return self._process

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.stdin.close()  # type: ignore[union-attr]
            self._process.wait(timeout=30)
        shutil.rmtree(self.exits, ignore_errors=True)


_ZYGOTE = _Zygote()


class Launched:
    """A command forked from the zygote, used like `subprocess.Popen`."""

    def __init__(self, args: Sequence[Arg], env: Mapping[str, str] | None, cwd: Path,
                 stdin: Path | None, stdout: Path, stderr: Path, code: str | None = None) -> None:
        self.args = list(args)
        self.returncode: int | None = None
        self._exit = _ZYGOTE.exits / uuid.uuid4().hex
        self.pid = _ZYGOTE.fork({
            "token": self._exit.name, "cwd": str(cwd), "code": code,
            "env": dict(os.environ if env is None else env),
            "argv": [base64.b64encode(os.fsencode(arg)).decode() for arg in args],
            "stdin": str(stdin or os.devnull), "stdout": str(stdout), "stderr": str(stderr)})

    def poll(self) -> int | None:
        if self.returncode is None and self._exit.exists():
            self.returncode = int(self._exit.read_text())
            self._exit.unlink()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            time.sleep(0.01)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, number: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, number)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def start(args: Sequence[Arg], output: Path, env: Mapping[str, str] | None = None,
          cwd: Path = ROOT) -> Launched:
    """`python -m assistant ARGS`, running, its standard output and error into `output`."""
    return Launched(args, env, cwd, None, output, output)


def cold_start(args: Sequence[Arg], output: Path, env: Mapping[str, str] | None = None,
               cwd: Path = ROOT) -> subprocess.Popen:
    """`start` in a fresh interpreter, as a user's shell starts it."""
    with output.open("ab") as log:
        return subprocess.Popen([sys.executable, "-m", "assistant", *args], env=env, cwd=cwd,
                                stdout=log, stderr=subprocess.STDOUT)


def run(args: Sequence[Arg], env: Mapping[str, str] | None = None, cwd: Path = ROOT,
        timeout: float = 300, text: bool = True, code: str | None = None
        ) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS` (with `code`: `python -c CODE ARGS`) to its end, like
    `subprocess.run(..., capture_output=True)` (killed, and TimeoutExpired raised, after
    `timeout` seconds)."""
    with tempfile.TemporaryDirectory(prefix="ftz-run-") as folder:
        out, err = Path(folder) / "out", Path(folder) / "err"
        launched = Launched(args, env, cwd, None, out, err, code)
        try:
            code = launched.wait(timeout)
        except subprocess.TimeoutExpired:
            launched.kill()
            launched.wait(30)
            raise
        stdout, stderr = out.read_bytes(), err.read_bytes()
    if text:
        return subprocess.CompletedProcess(args, code, stdout.decode(errors="replace"),
                                           stderr.decode(errors="replace"))
    return subprocess.CompletedProcess(args, code, stdout, stderr)


def cold_run(args: Sequence[Arg], env: Mapping[str, str] | None = None, cwd: Path = ROOT,
             timeout: float = 300) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS` in a fresh interpreter, as a user's shell starts it."""
    return subprocess.run([sys.executable, "-m", "assistant", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)
