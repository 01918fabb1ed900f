"""Per-document result cache.

One JSON file per document under ``DIR/.cache/``, named after a key made of the
file's content hash (sha256) and a pipeline fingerprint (package version, tagging
method, the bundled data files, and the model's manifest).  A re-run skips files
whose content and pipeline are unchanged; an interrupted run resumes from the
documents already finished, because each result is written atomically as soon as
it comes back from a worker.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from sca.corpus.atomic import write_text_atomic

#: Bump when the shape of a per-document result changes.
RESULT_FORMAT = 1




def _hash_tree(h: "hashlib._Hash", root: Path) -> None:
    if not root.is_dir():
        return
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())


def model_version(method: str) -> str:
    """A fingerprint of the default model (its manifest), or ``"none"`` for rules only."""
    if method == "rules":
        return "none"
    candidates = []
    env = os.environ.get("SCA_MODEL_DIR")
    if env:
        candidates.append(Path(env))
    pkg = Path(__file__).resolve().parents[1]
    candidates += [pkg.parent / "models" / "default", pkg / "models" / "default"]
    for c in candidates:
        manifest = c / "manifest.json"
        if manifest.is_file():
            return hashlib.sha256(manifest.read_bytes()).hexdigest()[:16]
    return "none"


def pipeline_version(method: str, func=None, codebook: str | None = None, model: str | None = None) -> str:
    """Fingerprint of everything that changes a per-document result except the file.

    For the default pipeline: the package version, the package's code and bundled data
    (codebook, patterns, gazetteer) and the model's manifest.  For a custom per-document
    function: its module's source instead of the package's.
    """
    import inspect

    import sca

    h = hashlib.sha256()
    h.update(f"sca={sca.__version__};format={RESULT_FORMAT};method={method}".encode())
    from sca.corpus.runner import sca_pipeline

    if func is None or func is sca_pipeline:
        pkg = Path(sca.__file__).resolve().parent
        for p in sorted(pkg.rglob("*.py")):
            if "cli" not in p.relative_to(pkg).parts:
                h.update(str(p.relative_to(pkg)).encode())
                h.update(p.read_bytes())
        _hash_tree(h, pkg / "data")
        if codebook:  # a user's codebook changes every tag
            h.update(b"codebook:" + Path(codebook).read_bytes())
        if model and method != "rules":
            manifest = Path(model) / "manifest.json"
            h.update(b"model:" + (manifest.read_bytes() if manifest.is_file() else str(model).encode()))
        else:
            h.update(model_version(method).encode())
    else:
        h.update(f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', '')}".encode())
        try:
            h.update(Path(inspect.getfile(func)).read_bytes())
        except (TypeError, OSError):
            pass
    return h.hexdigest()[:16]


class ResultCache:
    """Stores one JSON result per (file content, pipeline) key."""

    def __init__(self, directory: str | os.PathLike, pipeline: str):
        self.directory = Path(directory)
        self.pipeline = pipeline

    def path_for(self, sha256: str) -> Path:
        return self.directory / f"{sha256}-{self.pipeline}.json"

    def get(self, sha256: str) -> dict[str, Any] | None:
        p = self.path_for(sha256)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None  # corrupt entry: recompute
        if not isinstance(data, dict) or data.get("_format") != RESULT_FORMAT:
            return None
        return data

    def put(self, sha256: str, result: dict[str, Any]) -> None:
        payload = dict(result, _format=RESULT_FORMAT)
        self.directory.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.path_for(sha256), json.dumps(payload, ensure_ascii=False, default=str))
