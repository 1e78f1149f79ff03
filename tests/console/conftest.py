"""GUI tier: one qasync loop for the whole session (a second Qt loop segfaults with WebEngine)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def qasync_loop(qapp: Any) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop


@pytest.fixture
def run_async(
    qasync_loop: asyncio.AbstractEventLoop, qtbot: Any
) -> Callable[[Coroutine[Any, Any, Any]], Any]:
    """Run a coroutine on the session loop while Qt keeps processing events."""

    def runner(coro: Coroutine[Any, Any, Any], timeout: int = 10_000) -> Any:
        task = qasync_loop.create_task(coro)
        qtbot.waitUntil(task.done, timeout=timeout)
        return task.result()

    return runner
