"""The tutorial notebooks run top to bottom on the shipped corpus, and are stored without outputs.

Each notebook is executed with nbclient (kernel ``python3``) in a temporary working directory;
the notebooks write into a temporary folder (``SCA_NOTEBOOK_OUT``) shared by the run so that
notebook 3 reuses the per-document cache of notebook 2.  Skipped only when nbclient is missing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
EXPECTED = ["01_quick_start.ipynb", "02_corpus.ipynb", "03_agency_graphs.ipynb", "04_codebook_and_model.ipynb"]
CELL_TIMEOUT = 600  # seconds per cell; the corpus cell is the slowest (about a minute on 2 cores)


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def test_all_notebooks_present():
    assert [p.name for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_stored_without_outputs(path):
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    assert code, f"{path.name} has no code cells"
    for cell in code:
        assert cell.get("outputs") == [], f"{path.name}: cell {cell.get('id')} has stored outputs"
        assert cell.get("execution_count") is None, f"{path.name}: cell {cell.get('id')} has an execution count"
    markdown = [c for c in _cells(path) if c["cell_type"] == "markdown"]
    assert len(markdown) >= 3, f"{path.name} needs narrative markdown cells"


@pytest.mark.skipif(importlib.util.find_spec("nbformat") is None, reason="nbformat is not installed")
def test_notebooks_match_build_script(tmp_path):
    """The committed notebooks are exactly what notebooks/_build.py writes (edit the script, not the files)."""
    subprocess.run([sys.executable, str(NOTEBOOK_DIR / "_build.py"), str(tmp_path)], check=True,
                   capture_output=True, text=True)
    for name in EXPECTED:
        built = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        stored = json.loads((NOTEBOOK_DIR / name).read_text(encoding="utf-8"))
        assert built == stored, f"{name} differs from notebooks/_build.py: run `python notebooks/_build.py`"


@pytest.fixture(scope="module")
def notebook_out(tmp_path_factory):
    return tmp_path_factory.mktemp("notebook-out")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path, notebook_out, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("SCA_NOTEBOOK_OUT", str(notebook_out))
    monkeypatch.setenv("SCA_REPO", str(ROOT))
    # the kernel must import this checkout's sca even where it is not installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError naming the failing cell

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors, f"{path.name}: {errors[0].get('ename')}: {errors[0].get('evalue')}"
    results = [o for o in outputs if o.get("output_type") in ("execute_result", "display_data")]
    assert results, f"{path.name} displayed nothing"
    if path.name != "01_quick_start.ipynb":  # every other notebook draws figures
        assert any("image/png" in o.get("data", {}) for o in results), f"{path.name} drew no figure"
    stderr = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr")
    assert "Traceback" not in stderr, f"{path.name} printed a traceback:\n{stderr[-2000:]}"
    # nothing was written into the working directory or the repository's tracked folders
    assert not any(tmp_path.iterdir()), f"{path.name} wrote into its working directory: {list(tmp_path.iterdir())}"
