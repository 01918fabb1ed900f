"""Run the per-document function on a Dask distributed cluster.

Each document is one ``Client.submit`` task calling the same :func:`execute` as the
process engine, so results (and therefore every output table) are identical.  At most
two tasks per worker thread are in flight, which keeps the scheduler's memory flat on
large corpora.  A document whose task exceeds the hard limit is cancelled and recorded
as a timeout; a task that kills its worker repeatedly ends as ``KilledWorker`` and is
recorded as a crash.
"""

from __future__ import annotations

import time
import uuid
from collections import deque
from typing import Iterable, Iterator

from sca.corpus.runner import DocTask, PipelineFunc, execute, failure, hard_limit


def _client(scheduler=None, client=None):
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("the dask engine needs the 'dask' extra: pip install 'sca[dask]'") from exc
    if client is not None:
        return client, False
    if not scheduler:
        raise ValueError("the dask engine needs a scheduler address (e.g. tcp://127.0.0.1:8786) or a Client")
    try:
        return Client(scheduler, timeout="20s"), True
    except (OSError, TimeoutError) as exc:
        raise RuntimeError(f"cannot connect to the Dask scheduler at {scheduler}: {exc}") from exc


def iter_dask(
    tasks: Iterable[DocTask],
    func: PipelineFunc,
    timeout: float | None = None,
    scheduler: str | None = None,
    client=None,
    poll: float = 0.5,
) -> Iterator[dict]:
    client, own = _client(scheduler, client)
    try:
        threads = sum((client.nthreads() or {}).values()) or 1
        max_inflight = 2 * threads
        limit = hard_limit(timeout)
        queue = deque(tasks)
        inflight: dict = {}
        run = uuid.uuid4().hex[:8]
        while queue or inflight:
            while queue and len(inflight) < max_inflight:
                task = queue.popleft()
                fut = client.submit(execute, func, task, timeout, pure=False,
                                    key=f"sca-doc-{task.doc_id}-{task.sha256[:8]}-{run}")
                inflight[fut] = (task, time.monotonic())
            done = _poll_done(inflight, poll)
            for fut in done:
                task, started = inflight.pop(fut)
                try:
                    yield fut.result()
                except Exception as exc:  # noqa: BLE001 - KilledWorker, CancelledError, ...
                    name = type(exc).__name__
                    reason = "worker_crashed" if name == "KilledWorker" else "worker_error"
                    yield failure(task, "error", reason, f"{name}: {exc}", time.monotonic() - started)
                finally:
                    fut.release()
            if limit is not None:
                now = time.monotonic()
                for fut, (task, started) in list(inflight.items()):
                    # submission time, not start time: queued tasks get the generous hard limit
                    if now - started > limit and fut.status == "pending":
                        inflight.pop(fut)
                        client.cancel(fut)
                        yield failure(task, "timeout", "timeout",
                                      f"took longer than the {timeout:g} s limit (task cancelled)", now - started)
    finally:
        if own:
            client.close()


def _poll_done(inflight, poll: float, step: float = 0.02) -> list:
    """Futures already finished, waiting up to ``poll`` seconds for the first one."""
    deadline = time.monotonic() + poll
    while True:
        done = [f for f in inflight if f.done()]
        if done or time.monotonic() >= deadline:
            return done
        time.sleep(step)
