"""Reading speed of the two PDF engines (a measurement script, not a test).

    python benchmarks/bench_pdf_engines.py corpora/docs ../shared/eval/dev/docs

Prints pages/s for bare pdfplumber ``extract_text`` (pages closed as we go), for the engines'
line readers alone, and for ``sca.read`` end to end with each engine; the ratio column is
``sca.read`` time over bare pdfplumber time.  Shared machines are noisy: compare ratios.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main(folders: list[str], repeat: int = 2) -> None:
    import pandas as pd
    import pdfplumber

    import sca
    from sca.ingest.pdf import read_pdf
    from sca.ingest.pdfium import read_pdf_pdfium

    def bare(f):
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()

    rows = []
    files = sorted(p for d in folders for p in Path(d).glob("*.pdf"))
    for f in files:
        with pdfplumber.open(f) as pdf:
            pages = len(pdf.pages)
        rows.append({
            "file": f"{f.parent.name}/{f.name}", "pages": pages,
            "bare_pdfplumber": _best(lambda: bare(f), repeat),
            "lines_pdfplumber": _best(lambda: read_pdf(f), repeat),
            "lines_pdfium": _best(lambda: read_pdf_pdfium(f), repeat),
            "read_pdfplumber": _best(lambda: sca.read(f, pdf_engine="pdfplumber"), repeat),
            "read_pdfium": _best(lambda: sca.read(f, pdf_engine="pdfium"), repeat),
        })
    df = pd.DataFrame(rows)
    tot = df.drop(columns=["file"]).sum()
    print(df.round(3).to_string(index=False))
    print(f"\n{len(df)} PDFs, {int(tot['pages'])} pages; pages/s (ratio to bare pdfplumber extract_text):")
    for col in ["bare_pdfplumber", "lines_pdfplumber", "lines_pdfium", "read_pdfplumber", "read_pdfium"]:
        print(f"  {col:18s} {tot['pages'] / tot[col]:7.1f} pages/s   x{tot[col] / tot['bare_pdfplumber']:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["corpora/docs"])
