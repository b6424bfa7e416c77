"""Run a coroutine to its end from a synchronous test, whatever the test's thread is doing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any


def run_on_own_loop(main: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Return what `main()` returns, run on a loop of its own in a thread of its own.

    The browser tests' session-wide Playwright leaves the main thread marked as running a loop,
    where asyncio.run would refuse to start.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(main())).result()
