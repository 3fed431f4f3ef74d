"""Open a page in a real headless Chromium and report what a user's browser would: console
errors, exceptions, every network request, and the answers of scripts run in the page.

Chromium is driven through the DevTools protocol over a pipe (--remote-debugging-pipe: commands
on file descriptor 3, answers on 4, each a JSON message ended by a NUL byte), so no WebSocket
library or free port is needed: the standard library is enough.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--remote-debugging-pipe",
)


def chromium() -> str | None:
    """The path of a Chromium on this machine, or None."""
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Visit:
    """What happened while the page loaded."""

    console_errors: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    failed: list[str] = field(default_factory=list)  # resources the page could not load
    results: dict[str, Any] = field(default_factory=dict)  # script -> its value


class Browser:
    """One headless Chromium, its own profile, talked to over the DevTools pipe."""

    def __init__(self, executable: str, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="deckgen-chromium-")
        commands_read, self._commands = os.pipe()  # we write, Chromium reads on fd 3
        self._answers, answers_write = os.pipe()  # Chromium writes on fd 4, we read
        keep = (commands_read, answers_write)

        def wire() -> None:  # in the child: put the two ends on 3 and 4
            high = [os.dup(fd) for fd in keep]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4, *keep),
            preexec_fn=wire,  # the test process starts no threads before this
        )
        os.close(commands_read)
        os.close(answers_write)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    # -- the protocol -------------------------------------------------------------------------
    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode("utf-8") + b"\0")
        wanted = self._next
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            for answer in self._read(deadline):
                if answer.get("id") == wanted:
                    if "error" in answer:
                        raise RuntimeError(f"{method}: {answer['error']}")
                    return answer.get("result", {})
                self.events.append(answer)
        raise TimeoutError(f"Chromium did not answer {method}")

    def wait(self, method: str, deadline: float) -> dict[str, Any] | None:
        """The first event `method` (already seen or still to come) before `deadline`."""
        while True:
            for event in self.events:
                if event.get("method") == method:
                    return event
            if time.monotonic() > deadline:
                return None
            self.events.extend(self._read(deadline))

    def _read(self, deadline: float) -> list[dict[str, Any]]:
        ready, _, _ = select.select([self._answers], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return []
        chunk = os.read(self._answers, 1 << 20)
        if not chunk:
            raise RuntimeError("Chromium closed the DevTools pipe")
        self._buffer += chunk
        *whole, self._buffer = self._buffer.split(b"\0")
        return [json.loads(m) for m in whole if m]

    # -- a visit --------------------------------------------------------------------------
    def visit(self, url: str, scripts: tuple[str, ...] = ()) -> Visit:
        """Load `url` in a new tab, wait for it to finish, run `scripts` in it, report."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.send(f"{domain}.enable", session=session)
        self.events.clear()
        self.send("Page.navigate", {"url": url}, session=session)
        deadline = time.monotonic() + self.timeout
        if self.wait("Page.loadEventFired", deadline) is None:
            raise TimeoutError(f"{url} did not finish loading")
        time.sleep(0.3)  # late console messages and requests
        self.events.extend(self._read(time.monotonic() + 0.2))
        visit = Visit()
        for script in scripts:
            answer = self.send(
                "Runtime.evaluate", {"expression": script, "returnByValue": True}, session=session
            )
            visit.results[script] = answer.get("result", {}).get("value")
        for event in self.events:
            if event.get("sessionId") not in (session, None):
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                visit.console_errors.append(json.dumps(params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                visit.exceptions.append(json.dumps(params.get("exceptionDetails", {})))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                visit.console_errors.append(str(params["entry"].get("text")))
            elif method == "Network.requestWillBeSent":
                visit.requests.append(str(params.get("request", {}).get("url", "")))
            elif method == "Network.loadingFailed":
                visit.failed.append(str(params.get("errorText", "")))
        return visit

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for fd in (self._commands, self._answers):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_page(path: Path, scripts: tuple[str, ...] = (), timeout: float = 60.0) -> Visit:
    """Open a local file in headless Chromium and report what happened."""
    executable = chromium()
    if executable is None:
        raise FileNotFoundError("Chromium is not installed")
    with Browser(executable, timeout) as browser:
        return browser.visit(path.resolve().as_uri(), scripts)
