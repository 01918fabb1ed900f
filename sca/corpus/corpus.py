"""``Corpus``: tag a whole folder of reviews and get pandas tables back.

>>> from sca import Corpus
>>> corpus = Corpus.from_folder("reviews/").tag(jobs=2, cache_dir="out/.cache")   # doctest: +SKIP
>>> corpus.theme_frequencies()                                                   # doctest: +SKIP
>>> corpus.by("year"); corpus.cooccurrence(unit="document")                      # doctest: +SKIP
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from sca.corpus import tables
from sca.corpus.cache import ResultCache, pipeline_version
from sca.hashing import file_sha256
from sca.corpus.runner import DocTask, failure, iter_process, iter_serial, resolve_pipeline, sca_pipeline

#: File types picked up by :meth:`Corpus.from_folder` (case-insensitive).
SUPPORTED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".txt", ".md")
ENGINES = ("process", "dask", "serial")
#: Failures that may not happen again on a re-run, so are not cached.
TRANSIENT_REASONS = {"timeout", "worker_crashed", "worker_error", "out_of_memory", "io_error"}

DOCUMENT_COLUMNS = ["doc_id", "path", "sha256", "format", "title", "board", "review_type", "child_code",
                    "author", "year", "pages", "words", "status", "reason", "error"]
MENTION_COLUMNS = ["doc_id", "file", "page", "section", "section_kind", "para", "sentence", "theme", "family",
                   "score", "method", "assertion", "evidence"]
MENTION_EXTRA = ["rule_id", "sentence_id", "paragraph_index", "source"]
EVENT_COLUMNS = ["doc_id", "event_id", "date", "date_end", "date_precision", "date_text", "agency",
                 "counterpart", "contact_type", "child_seen", "concern", "page", "para", "section", "sentence",
                 "source"]
MISSED_COLUMNS = ["doc_id", "event_id", "date", "agency", "rule", "reason", "evidence", "page", "para"]
ERROR_COLUMNS = ["file", "doc_id", "status", "reason", "error"]


def discover(folder: str | os.PathLike, exclude: Iterable[str | os.PathLike] = ()) -> list[Path]:
    """Supported files under ``folder`` (recursive, sorted), skipping hidden folders and ``exclude``."""
    root = Path(folder)
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder")
    skip = [Path(e).resolve() for e in exclude]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not any((here / d).resolve() == s for s in skip))
        for name in sorted(filenames):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(here / name)
    return sorted(found, key=lambda p: str(p.relative_to(root)))


def assign_doc_ids(paths: list[Path], root: Path | None) -> list[str]:
    """File stems, made unique: clashing files get their relative path (and extension)."""
    stems = Counter(p.stem for p in paths)
    ids = []
    for p in paths:
        if stems[p.stem] == 1:
            ids.append(p.stem)
            continue
        try:
            rel = p.relative_to(root) if root else p
        except ValueError:
            rel = p
        ids.append(str(rel.with_suffix("")).replace(os.sep, "__") + "_" + p.suffix.lstrip(".").lower())
    seen: Counter = Counter()
    unique = []
    for i in ids:
        seen[i] += 1
        unique.append(i if seen[i] == 1 else f"{i}_{seen[i]}")
    return unique


def codebook_themes(codebook: str | None = None) -> pd.DataFrame | None:
    """Theme id, label and family from the codebook (default: the packaged one), or None when it cannot be loaded."""
    try:
        from sca.themes.codebook import load_codebook

        cb = load_codebook(codebook)
    except Exception:  # noqa: BLE001 - tables then fall back to the themes found
        return None
    return pd.DataFrame([{"theme": t.id, "label": getattr(t, "label", t.id), "family": getattr(t, "family", "")}
                         for t in cb.themes])


def _frame(records: list[dict], columns: list[str], extra: Iterable[str] = ()) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records) if records else pd.DataFrame(columns=columns)
    keep = columns + [c for c in extra if c in df.columns]
    for c in columns:
        if c not in df.columns:
            df[c] = None
    return df[keep].reset_index(drop=True)


def _text(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (dict, list, tuple)):
        import json

        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


def _typed_column(col: pd.Series, name: str, ints=(), floats=(), bools=()) -> pd.Series:
    if name in ints:
        return pd.to_numeric(col, errors="coerce").round().astype("Int64")
    if name in floats:
        return pd.to_numeric(col, errors="coerce").astype("Float64")
    if name in bools:
        return col.map(lambda v: None if v is None or (isinstance(v, float) and v != v) else bool(v)).astype("boolean")
    return col.map(_text).astype("string")


def _typed(df: pd.DataFrame, ints=(), floats=(), bools=()) -> pd.DataFrame:
    """Stable column types (so Parquet and CSV agree across engines and runs)."""
    df = df.copy()
    for c in df.columns:
        df[c] = _typed_column(df[c], c, ints, floats, bools)
    return df


#: The per-document record tables of a result: (key, columns, extra columns, column types).
_TABLES = (
    ("mentions", MENTION_COLUMNS, MENTION_EXTRA, {"ints": ("page", "paragraph_index", "sentence_id"), "floats": ("score",)}),
    ("events", EVENT_COLUMNS, (), {"ints": ("page",), "bools": ("concern",)}),
    ("missed", MISSED_COLUMNS, (), {"ints": ("page",)}),
)


def _compact(result: dict) -> dict:
    """Turn a result's record lists into typed DataFrames (a fraction of the memory of dicts).

    The parent keeps every finished document until the tables are written; a thousand
    reviews of records as dicts would cost gigabytes.
    """
    if result.get("status") != "ok":
        return result
    for key, columns, extra, types in _TABLES:
        recs = result.get(key)
        if isinstance(recs, list):
            add = {"doc_id": result["doc_id"]}
            if key == "mentions":
                add["file"] = result["path"]
            result[key] = _typed(_frame([{**r, **add} for r in recs], columns, extra), **types) if recs else None
    return result


def _concat(frames: list[pd.DataFrame], columns: list[str], extra: Iterable[str], types: dict) -> pd.DataFrame:
    if not frames:
        return _typed(_frame([], columns, extra), **types)
    df = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    df = df[columns + [c for c in extra if c in df.columns]].copy()
    for c in df.columns:  # an extra column that some documents lack comes back untyped
        if df[c].dtype == object:
            df[c] = _typed_column(df[c], c, **types)
    return df


class Corpus:
    """A set of review files and, once tagged, their tables."""

    def __init__(self, paths: Iterable[str | os.PathLike], root: str | os.PathLike | None = None):
        self.paths = [Path(p) for p in paths]
        self.root = Path(root) if root else None
        self.doc_ids = assign_doc_ids(self.paths, self.root)
        self.results: dict[str, dict] = {}
        self.documents = _frame([], DOCUMENT_COLUMNS)
        self.mentions = _frame([], MENTION_COLUMNS)
        self.events = _frame([], EVENT_COLUMNS)
        self.missed_opportunities = _frame([], MISSED_COLUMNS)
        self.themes: pd.DataFrame | None = None
        self.codebook: str | None = None  # the user's codebook file of the last tag(), if any
        self.stats: dict[str, Any] = {}

    @classmethod
    def from_folder(cls, path: str | os.PathLike, exclude: Iterable[str | os.PathLike] = ()) -> "Corpus":
        """Every supported file under ``path`` (recursive): .pdf .docx .html .htm .txt .md."""
        root = Path(path)
        return cls(discover(root, exclude), root=root if root.is_dir() else root.parent)

    def __len__(self) -> int:
        return len(self.paths)

    def __repr__(self) -> str:
        return f"<Corpus {len(self.paths)} files, {len(self.results)} processed>"

    # -- running ------------------------------------------------------------------------------
    def tag(
        self,
        jobs: int = 1,
        engine: str = "process",
        scheduler: str | None = None,
        timeout: float | None = 300.0,
        cache_dir: str | os.PathLike | None = None,
        method: str = "auto",
        codebook: str | os.PathLike | None = None,
        model: str | os.PathLike | None = None,
        pipeline: Callable[[str, dict], dict] | str | None = None,
        client=None,
        progress: bool = False,
        mp_context: str | None = None,
        hard_timeout: float | None = None,
    ) -> "Corpus":
        """Process every file (one document per task) and fill the tables; returns ``self``.

        ``engine``: "process" (``jobs`` worker processes), "dask" (a distributed cluster at
        ``scheduler``, or an existing ``client``) or "serial" (in this process, for debugging).
        ``timeout``: seconds allowed per document. ``cache_dir``: where per-document results
        are kept so that a re-run skips unchanged files and an interrupted run resumes.
        ``pipeline``: the per-document function ``f(path, options) -> dict`` or a
        ``"module:function"`` string (default: read, tag themes, extract events and missed
        opportunities); it must be importable by worker processes.
        ``codebook``: a codebook YAML that replaces or extends the default (see ``ThemeTagger``);
        ``model``: a model directory for the ml/hybrid methods (default: the shipped model).
        """
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
        func = resolve_pipeline(pipeline)
        codebook = str(Path(codebook).resolve()) if codebook else None
        model = str(Path(model).resolve()) if model else None
        if codebook:  # refuse a bad codebook here, once, rather than in every worker
            from sca.themes.codebook import load_codebook

            load_codebook(codebook)
        self.codebook = codebook
        options = {"method": method, "codebook": codebook, "model": model}
        fingerprint = pipeline_version(method, func, codebook=codebook, model=model)
        cache = ResultCache(cache_dir, fingerprint) if cache_dir else None
        results: dict[str, dict] = {}
        pending: list[DocTask] = []
        cached = 0
        for doc_id, path in zip(self.doc_ids, self.paths):
            fmt = path.suffix.lower().lstrip(".")
            task = DocTask(doc_id=doc_id, path=str(path), sha256="", format=fmt, options=options)
            try:
                task.sha256 = file_sha256(path)
            except OSError as exc:
                results[doc_id] = failure(task, "error", "io_error", f"{path}: cannot read the file ({exc.strerror or exc})")
                continue
            hit = cache.get(task.sha256) if cache else None
            if hit is not None:
                hit.update(doc_id=doc_id, path=str(path), format=fmt, cached=True)
                results[doc_id] = _compact(hit)
                cached += 1
            else:
                pending.append(task)
        self.stats = {"files": len(self.paths), "cached": cached, "processed": len(pending), "engine": engine,
                      "jobs": jobs, "method": method}
        bar = _progress(len(self.paths), len(self.paths) - len(pending), progress)
        try:
            if pending:
                if engine == "serial":
                    stream = iter_serial(pending, func, timeout)
                elif engine == "dask":
                    from sca.corpus.dask_engine import iter_dask

                    stream = iter_dask(pending, func, timeout, scheduler=scheduler, client=client)
                else:
                    warm = method if func is sca_pipeline and not (codebook or model) else None
                    stream = iter_process(pending, func, jobs=jobs, timeout=timeout, mp_context=mp_context,
                                          warm_method=warm, hard_timeout=hard_timeout)
                for result in stream:
                    if cache and result["sha256"] and result.get("reason") not in TRANSIENT_REASONS:
                        cache.put(result["sha256"], result)
                    results[result["doc_id"]] = _compact(result)
                    if bar is not None:
                        bar.update(1)
                        if result["status"] != "ok":
                            bar.set_postfix_str(f"{result['doc_id']}: {result['status']}", refresh=False)
        finally:
            if bar is not None:
                bar.close()
            self.results = {d: results[d] for d in self.doc_ids if d in results}
            self._build()
        return self

    def _build(self) -> None:
        docs: list[dict] = []
        frames: dict[str, list[pd.DataFrame]] = {key: [] for key, *_ in _TABLES}
        for doc_id in self.doc_ids:
            r = self.results.get(doc_id)
            if r is None:
                continue
            meta = r.get("metadata") or {}
            docs.append({
                "doc_id": doc_id, "path": r["path"], "sha256": r["sha256"],
                "format": meta.get("format") or r.get("format"),
                **{k: meta.get(k) for k in ("title", "board", "review_type", "child_code", "author", "year",
                                            "pages", "words")},
                "status": r["status"], "reason": r.get("reason") or "", "error": r.get("error") or "",
            })
            if r["status"] != "ok":
                continue
            for key, *_ in _TABLES:  # already DataFrames: run() compacts each result as it arrives
                if r.get(key) is not None:
                    frames[key].append(r[key])
        self.documents = _typed(_frame(docs, DOCUMENT_COLUMNS), ints=("year", "pages", "words"))
        tables_ = {key: _concat(frames[key], columns, extra, types) for key, columns, extra, types in _TABLES}
        self.mentions = tables_["mentions"]
        self.events = tables_["events"]
        self.missed_opportunities = tables_["missed"]
        self.themes = codebook_themes(self.codebook)

    # -- tables ---------------------------------------------------------------------------------
    @property
    def errors(self) -> pd.DataFrame:
        """Files that could not be processed: file, doc_id, status, reason, error."""
        d = self.documents[self.documents["status"] != "ok"]
        return pd.DataFrame({"file": d["path"], "doc_id": d["doc_id"], "status": d["status"],
                             "reason": d["reason"], "error": d["error"]}, columns=ERROR_COLUMNS).reset_index(drop=True)

    def theme_frequencies(self) -> pd.DataFrame:
        return tables.theme_frequencies(self.documents, self.mentions, self.themes)

    def by(self, key: str) -> pd.DataFrame:
        """Theme frequencies per ``"year"``, ``"review_type"`` or ``"board"`` (long table)."""
        return tables.frequencies_by(self.documents, self.mentions, key, self.themes)

    def cooccurrence(self, unit: str = "sentence") -> pd.DataFrame:
        """Theme x theme matrix of units (sentence, paragraph or document) raising both."""
        return tables.cooccurrence_matrix(self.mentions, unit, self.themes, self.documents)

    def review_themes(self) -> pd.DataFrame:
        return tables.review_themes(self.documents, self.mentions, self.themes)

    def contact_graph(self, doc_id: str):
        """The agency-contact graph of one review (``sca.contact_graph`` on its events)."""
        import sca

        ev = self.events[self.events["doc_id"] == doc_id].reset_index(drop=True)
        return sca.contact_graph(ev)

    def write(self, out_dir: str | os.PathLike, xlsx: bool = False, report: bool = True) -> dict[str, Path]:
        """Write every output file into ``out_dir`` (atomically); returns name -> path."""
        from sca.corpus.outputs import write_outputs

        return write_outputs(self, out_dir, xlsx=xlsx, report=report)


def _progress(total: int, initial: int, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, desc="Tagging", unit="doc", dynamic_ncols=True)
