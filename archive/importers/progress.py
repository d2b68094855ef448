"""Import progress: a tqdm bar on a terminal, plain periodic lines otherwise (logs, CI)."""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

PLAIN_EVERY_SECONDS = 5.0


class Progress:
    """Counts records; shows records/s and the time left."""

    def __init__(self, total: int, *, stream=None, label: str = "import"):
        self.total, self.done, self.label = total, 0, label
        self.stream = stream or sys.stderr
        self.started = self.last_line = time.monotonic()
        is_terminal = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar = tqdm(total=total, unit=" records", file=self.stream, desc=label) if is_terminal else None

    def advance(self, count: int) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
        elif time.monotonic() - self.last_line >= PLAIN_EVERY_SECONDS:
            self.last_line = time.monotonic()
            self._plain_line()

    def _plain_line(self) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        print(
            f"{self.label}: {self.done:,}/{self.total:,} records ({rate:,.0f}/s, about {left:,.0f} s left)",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


class NoProgress(Progress):
    """For callers that show nothing (the admin upload, tests)."""

    def __init__(self, total: int = 0, **kwargs):
        self.total, self.done, self.bar = total, 0, None

    def advance(self, count: int) -> None:
        self.done += count

    def close(self) -> None:
        pass
