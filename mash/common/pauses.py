"""A process's pause in its use of something that failed (Redis, as a cache or a broker).

A frozen Redis accepts connections and never answers: each call then waits for its socket timeout.
After one failure the process leaves it alone for a while, so an outage costs one request a timeout,
not every request; the work goes on without it (a database read instead of a cached copy).
"""

import logging
import time

logger = logging.getLogger(__name__)


class Pause:
    """``active()`` for ``seconds`` after ``begin()``; ``end()`` uses the thing again at once (tests)."""

    def __init__(self, what: str, seconds: float = 30.0):
        self.what = what
        self.seconds = seconds
        self._until = 0.0

    def active(self) -> bool:
        return time.monotonic() < self._until

    def begin(self, exc: BaseException) -> None:
        self._until = time.monotonic() + self.seconds
        logger.warning("%s left alone for %.0f s: it failed (%s)", self.what, self.seconds, exc)

    def end(self) -> None:
        self._until = 0.0
