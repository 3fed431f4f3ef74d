"""How a long build tells the user it is still working.

The pipeline reports stages ("drawing slides", 1,000) and steps through a Progress; it does not
know whether anyone is watching. The command line passes a bar that shows itself on a terminal
only once a build has run long enough to need one, so short builds and logs stay as they were.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Protocol, TextIO

SHOW_AFTER = 1.0  # seconds: a build shorter than this never shows a bar


class Progress(Protocol):
    """Receives the stages of a build and each step of them."""

    def stage(self, label: str, total: int) -> None: ...

    def advance(self, steps: int = 1) -> None: ...

    def finish(self) -> None: ...


class Silent:
    """Progress that shows nothing: for tests, batches and anything not on a terminal."""

    def stage(self, label: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


SILENT = Silent()


class TerminalBar:
    """A progress bar on the terminal (stderr), shown once the build has taken SHOW_AFTER s."""

    def __init__(self, stream: TextIO | None = None, show_after: float = SHOW_AFTER) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._show_after = show_after
        self._started = time.monotonic()
        self._label = ""
        self._total = 0
        self._done = 0
        self._bar: Any = None

    @property
    def enabled(self) -> bool:
        isatty = getattr(self._stream, "isatty", None)
        return bool(isatty and isatty())

    def stage(self, label: str, total: int) -> None:
        self._close()
        self._label, self._total, self._done = label, total, 0

    def advance(self, steps: int = 1) -> None:
        self._done += steps
        if self._bar is None:
            if not self.enabled or time.monotonic() - self._started < self._show_after:
                return
            import click

            self._bar = click.progressbar(
                length=self._total, label=self._label, file=self._stream, show_eta=True
            )
            self._bar.__enter__()
            self._bar.update(self._done)
        else:
            self._bar.update(steps)

    def finish(self) -> None:
        self._close()

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
