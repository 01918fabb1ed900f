"""Run a per-document function over many files: in-process, in worker processes, or on Dask.

The per-document function is pluggable.  It is called as ``func(path, options)`` and
returns a small dict::

    {"metadata": {...}, "mentions": [records], "events": [records], "missed": [records]}

:func:`execute` wraps it with a time limit and turns every failure into a result with
``status`` "error" or "timeout" and a ``reason``, so one bad file never stops a batch.
:func:`iter_process` runs tasks on a :class:`concurrent.futures.ProcessPoolExecutor`,
one document per task and at most ``jobs`` tasks in flight; a worker that crashes or
hangs past the hard limit is killed, the document is recorded, and the batch goes on.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
import contextlib
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

PipelineFunc = Callable[[str, dict], dict]


@dataclass
class DocTask:
    """One unit of work: a file and the options for the per-document function."""

    doc_id: str
    path: str
    sha256: str
    format: str
    options: dict = field(default_factory=dict)


class DocumentTimeout(Exception):
    """Raised inside a worker when a document exceeds its time limit."""


class StageError(Exception):
    """A pipeline stage failed on a document; ``reason`` names the stage."""

    def __init__(self, stage: str, exc: BaseException):
        self.stage = stage
        self.reason = f"{stage}_failed"
        super().__init__(f"{stage} failed: {type(exc).__name__}: {exc}")


# -- time limit ---------------------------------------------------------------------------
def _raise_timeout(signum, frame):  # pragma: no cover - signal handler
    raise DocumentTimeout()


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`DocumentTimeout` in the current thread after ``seconds``.

    In a process's main thread this uses ``SIGALRM``; elsewhere (Dask worker threads) a
    watchdog thread raises the exception asynchronously in the worker thread.  Both stop
    Python code (pdfminer, spaCy's Python layers); a hang inside C code is caught by the
    hard limit of the process engine instead.
    """
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    target = threading.get_ident()
    finished = threading.Event()
    fired = threading.Event()

    def watchdog():
        if not finished.wait(seconds):
            fired.set()
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(DocumentTimeout))

    t = threading.Thread(target=watchdog, daemon=True, name="sca-time-limit")
    t.start()
    try:
        yield
    finally:
        finished.set()
        if fired.is_set():
            # clear a pending async exception that arrived too late to matter
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


# -- one document ----------------------------------------------------------------------------
def failure(task: DocTask, status: str, reason: str, error: str, seconds: float = 0.0) -> dict:
    return {
        "doc_id": task.doc_id,
        "path": task.path,
        "sha256": task.sha256,
        "format": task.format,
        "status": status,
        "reason": reason,
        "error": error,
        "metadata": {},
        "mentions": [],
        "events": [],
        "missed": [],
        "seconds": round(seconds, 3),
    }


def execute(func: PipelineFunc, task: DocTask, timeout: float | None = None) -> dict:
    """Run ``func`` on one document; never raises for a document-level failure."""
    start = time.perf_counter()
    try:
        with time_limit(timeout):
            out = func(task.path, dict(task.options, doc_id=task.doc_id))
    except DocumentTimeout:
        return failure(task, "timeout", "timeout", f"took longer than the {timeout:g} s limit",
                       time.perf_counter() - start)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        from sca.errors import ReadError

        if isinstance(exc, ReadError):
            reason = getattr(exc, "reason", "unreadable")
            message = str(exc)
        elif isinstance(exc, StageError):
            reason, message = exc.reason, str(exc)
        elif isinstance(exc, MemoryError):
            reason, message = "out_of_memory", "ran out of memory"
        else:
            reason, message = "pipeline_error", f"{type(exc).__name__}: {exc}"
        return failure(task, "error", reason, message, time.perf_counter() - start)
    seconds = time.perf_counter() - start
    if not isinstance(out, dict):
        return failure(task, "error", "pipeline_error",
                       f"the per-document function returned {type(out).__name__}, not a dict", seconds)
    return {
        "doc_id": task.doc_id,
        "path": task.path,
        "sha256": task.sha256,
        "format": task.format,
        "status": "ok",
        "reason": "",
        "error": "",
        "metadata": dict(out.get("metadata") or {}),
        "mentions": list(out.get("mentions") or []),
        "events": list(out.get("events") or []),
        "missed": list(out.get("missed") or []),
        "seconds": round(seconds, 3),
        "timings": dict(out.get("timings") or {}),
    }


# -- the default pipeline ---------------------------------------------------------------------
_TAGGERS: dict[str, Any] = {}
_TAGGER_LOCK = threading.Lock()


def get_tagger(method: str = "rules", codebook: str | None = None, model: str | None = None):
    """One ThemeTagger (and so one spaCy pipeline) per worker process, method, codebook and model."""
    key = (method, codebook, model)
    with _TAGGER_LOCK:
        tagger = _TAGGERS.get(key)
        if tagger is None:
            from sca.themes.tagger import ThemeTagger

            tagger = ThemeTagger(method=None if method in (None, "auto") else method, codebook=codebook, model=model)
            _TAGGERS[key] = tagger
        return tagger


def frame_records(df) -> list[dict]:
    """DataFrame -> JSON-safe list of dicts (NaN -> None, numpy scalars -> Python)."""
    import json

    if df is None or len(df) == 0:
        return []
    return json.loads(df.to_json(orient="records", date_format="iso", force_ascii=False))


def _stage(name: str, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DocumentTimeout:
        raise
    except Exception as exc:  # noqa: BLE001
        from sca.errors import ReadError

        if isinstance(exc, ReadError):
            raise
        raise StageError(name, exc) from exc


def sca_pipeline(path: str, options: dict) -> dict:
    """The default per-document function: read, tag themes, extract events and missed opportunities."""
    from dataclasses import asdict

    import sca

    method = options.get("method", "rules")
    clock = time.perf_counter
    t0 = clock()
    review = sca.read(path)  # ReadError propagates with its reason
    t1 = clock()
    tagger = _stage("themes", get_tagger, method, options.get("codebook"), options.get("model"))
    mentions = _stage("themes", tagger.tag, review)
    t2 = clock()
    events = _stage("events", sca.extract_events, review)
    missed = _stage("missed_opportunities", sca.missed_opportunities, events)
    t3 = clock()
    return {
        "timings": {"read": round(t1 - t0, 3), "themes": round(t2 - t1, 3), "events": round(t3 - t2, 3)},
        "metadata": asdict(review.metadata),
        "mentions": frame_records(mentions),
        "events": frame_records(events),
        "missed": frame_records(missed),
    }


def worker_init(warm_method: str | None = None) -> None:
    """Initialiser of worker processes: Ctrl-C is handled by the parent; optional warm-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if warm_method:
        try:
            get_tagger(warm_method)
        except Exception:  # noqa: BLE001 - reported per document instead
            pass


# -- engines --------------------------------------------------------------------------------
def iter_serial(tasks: Iterable[DocTask], func: PipelineFunc, timeout: float | None = None) -> Iterator[dict]:
    for task in tasks:
        yield execute(func, task, timeout)


def _mp_context(name: str | None):
    if name:
        return multiprocessing.get_context(name)
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["sca.corpus.runner"])
        return ctx
    return multiprocessing.get_context("spawn")


def _kill_pool(executor: ProcessPoolExecutor) -> None:
    for proc in list((getattr(executor, "_processes", None) or {}).values()):
        with contextlib.suppress(Exception):
            proc.kill()
    with contextlib.suppress(Exception):
        executor.shutdown(wait=False, cancel_futures=True)


def hard_limit(timeout: float | None) -> float | None:
    """How long the parent waits before killing a worker stuck beyond the soft limit."""
    if not timeout or timeout <= 0:
        return None
    return timeout * 1.5 + 10.0


def iter_process(
    tasks: Iterable[DocTask],
    func: PipelineFunc,
    jobs: int = 1,
    timeout: float | None = None,
    mp_context: str | None = None,
    warm_method: str | None = None,
    poll: float = 0.5,
    hard_timeout: float | None = None,
) -> Iterator[dict]:
    """Run tasks on worker processes, yielding one result per task as they finish.

    ``timeout`` is enforced inside the worker; ``hard_timeout`` (default 1.5 x timeout + 10 s)
    is when the parent gives up on a worker that did not stop and kills it.
    """
    queue = deque(tasks)
    suspects: deque[DocTask] = deque()
    limit = hard_timeout if hard_timeout is not None else hard_limit(timeout)
    yield from _pool_pass(queue, suspects, func, max(1, int(jobs)), timeout, mp_context, warm_method, poll, limit)
    if suspects:
        # A crash took down several in-flight documents: re-run each alone to find the culprit.
        yield from _pool_pass(suspects, deque(), func, 1, timeout, mp_context, warm_method, poll, limit)


def resolve_pipeline(spec) -> PipelineFunc:
    """A per-document function from a callable or a ``"module:function"`` string."""
    if spec is None:
        return sca_pipeline
    if callable(spec):
        return spec
    import importlib

    module, _, name = str(spec).partition(":")
    if not module or not name:
        raise ValueError(f"pipeline {spec!r}: expected 'module:function'")
    func = getattr(importlib.import_module(module), name, None)
    if not callable(func):
        raise ValueError(f"pipeline {spec!r}: {name} is not a function of {module}")
    return func


def _ping() -> int:
    return os.getpid()


#: Worker processes are replaced after this many documents (memory stays flat on huge corpora).
RECYCLE_AFTER = 100


def _new_executor(jobs, ctx, warm_method):
    kwargs = {}
    if ctx.get_start_method() != "fork":  # max_tasks_per_child is not allowed with fork
        kwargs["max_tasks_per_child"] = RECYCLE_AFTER
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=worker_init, initargs=(warm_method,),
                               **kwargs)


def _started_pool(jobs, mp_context, warm_method):
    """A pool whose workers are known to start; falls back to ``fork`` when they cannot.

    With ``forkserver``/``spawn`` the workers re-import the main script; that fails for
    code read from stdin and for scripts without an ``if __name__ == "__main__"`` guard.
    """
    ctx = _mp_context(mp_context)
    executor = _new_executor(jobs, ctx, warm_method)
    if mp_context or ctx.get_start_method() == "fork":
        return executor, ctx
    try:
        executor.submit(_ping).result(timeout=300)
        return executor, ctx
    except Exception:  # noqa: BLE001 - BrokenProcessPool, timeout
        _kill_pool(executor)
    if "fork" not in multiprocessing.get_all_start_methods():
        raise RuntimeError("worker processes could not start: run the script under an "
                           "'if __name__ == \"__main__\":' guard, or use engine='serial'")
    import warnings

    warnings.warn("worker processes could not start with the forkserver method (is the script guarded by "
                  "'if __name__ == \"__main__\":'?); using fork instead", RuntimeWarning, stacklevel=4)
    ctx = multiprocessing.get_context("fork")
    return _new_executor(jobs, ctx, warm_method), ctx


def _pool_pass(queue, suspects, func, jobs, timeout, mp_context, warm_method, poll, limit) -> Iterator[dict]:
    if not queue:
        return
    executor, ctx = _started_pool(jobs, mp_context, warm_method)

    def new_pool():
        return _new_executor(jobs, ctx, warm_method)

    inflight: dict[Any, tuple[DocTask, float]] = {}
    try:
        while queue or inflight:
            while queue and len(inflight) < jobs:
                task = queue.popleft()
                try:
                    fut = executor.submit(execute, func, task, timeout)
                except BrokenProcessPool:
                    queue.appendleft(task)
                    _kill_pool(executor)
                    executor = new_pool()
                    continue
                inflight[fut] = (task, time.monotonic())
            done, _ = wait(list(inflight), timeout=poll, return_when=FIRST_COMPLETED)
            broken: list[DocTask] = []
            for fut in done:
                task, started = inflight.pop(fut)
                try:
                    yield fut.result()
                except BrokenProcessPool:
                    broken.append(task)
                except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                    yield failure(task, "error", "worker_error", f"{type(exc).__name__}: {exc}",
                                  time.monotonic() - started)
            if broken:
                broken += [t for t, _ in inflight.values()]
                inflight.clear()
                _kill_pool(executor)
                executor = new_pool()
                if jobs == 1 or len(broken) == 1:
                    for task in broken:
                        yield failure(task, "error", "worker_crashed",
                                      "the worker process crashed (terminated abruptly) on this file")
                else:
                    suspects.extend(broken)
                continue
            if limit is not None:
                now = time.monotonic()
                stuck = [(f, t, s) for f, (t, s) in inflight.items() if now - s > limit]
                if stuck:
                    for f, t, s in stuck:
                        inflight.pop(f)
                        yield failure(t, "timeout", "timeout",
                                      f"took longer than the {timeout or limit:g} s limit (worker killed)", now - s)
                    # the others were innocent: run them again
                    for t, _ in inflight.values():
                        queue.appendleft(t)
                    inflight.clear()
                    _kill_pool(executor)
                    executor = new_pool()
    finally:
        if inflight or queue:
            _kill_pool(executor)
        else:
            executor.shutdown(wait=True)
