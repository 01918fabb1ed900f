"""Benchmark ``sca tag`` against bare pdfplumber text extraction on the generated corpus.

    python benchmarks/generate_corpus.py --reviews 24 --min-pages 15 --max-pages 35 --seed 7
    python benchmarks/bench_corpus.py                      # all configurations
    python benchmarks/bench_corpus.py --limit 10 --configs bare,process1

Configurations: ``bare`` (pdfplumber ``page.extract_text()`` on every page, one process,
pages closed as they are read), ``process1`` and ``process2`` (``Corpus.tag`` with 1 and 2
worker processes, then every output written), ``dask`` (a LocalCluster of 2 single-thread
worker processes, same job).  Memory is sampled every 0.2 s over the benchmark process
and all its descendants: peak total RSS, and the peak RSS of the largest single process
after 25/50/75/100% of the documents (flat = no growth with corpus size).

Writes benchmarks/RESULTS.md (and benchmarks/_results/results.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent


class MemoryMonitor:
    """Samples RSS of this process and its descendants in a background thread."""

    def __init__(self, progress_dir: Path | None = None, total: int = 0, interval: float = 0.2):
        self.progress_dir, self.total, self.interval = progress_dir, total, interval
        self.peak_total = 0
        self.peak_single = 0
        self.peak_worker = 0
        self.by_quarter: dict[int, int] = {}
        self.cpu: dict[int, float] = {}  # pid -> last seen user+system CPU seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        me = psutil.Process()
        procs = [me] + me.children(recursive=True)
        total, single, worker = 0, 0, 0
        for p in procs:
            try:
                rss = p.memory_info().rss
                t = p.cpu_times()
                self.cpu[p.pid] = t.user + t.system
            except psutil.Error:
                continue
            total += rss
            single = max(single, rss)
            if p.pid != me.pid:
                worker = max(worker, rss)
        return total, single, worker

    def _run(self):
        while not self._stop.is_set():
            total, single, worker = self._sample()
            self.peak_total = max(self.peak_total, total)
            self.peak_single = max(self.peak_single, single)
            self.peak_worker = max(self.peak_worker, worker)
            if self.progress_dir is not None and self.total:
                done = len(list(self.progress_dir.glob("*.json"))) if self.progress_dir.is_dir() else 0
                quarter = min(4, int(4 * done / self.total + 1e-9))
                for q in range(1, quarter + 1):
                    self.by_quarter.setdefault(q, self.peak_worker)
            self._stop.wait(self.interval)

    def __enter__(self):
        me = psutil.Process()
        t = me.cpu_times()
        self.cpu_start = t.user + t.system
        self._thread.start()
        return self

    @property
    def cpu_seconds(self) -> float:
        """CPU time of every process seen (this one counted from the start of the block)."""
        return sum(self.cpu.values()) - self.cpu_start

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.by_quarter.setdefault(4, self.peak_worker)


def mb(n: int) -> float:
    return round(n / 2**20, 1)


def bench_bare(files: list[Path]) -> dict:
    import pdfplumber

    pages = 0
    with MemoryMonitor() as mon:
        start = time.perf_counter()
        cpu0 = time.process_time()
        for f in files:
            with pdfplumber.open(f) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.close()
                    pages += 1
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu0
    return {"config": "bare pdfplumber extract_text", "workers": 1, "wall_s": wall, "cpu_s": cpu,
            "pages": pages,
            "docs": len(files), "peak_total_mb": mb(mon.peak_total), "peak_process_mb": mb(mon.peak_single)}


def bench_corpus(files: list[Path], name: str, jobs: int = 1, engine: str = "process", method: str = "rules") -> dict:
    from sca.corpus import Corpus

    work = Path(tempfile.mkdtemp(prefix=f"sca-bench-{name}-"))
    cluster = client = None
    try:
        kwargs = {}
        if engine == "dask":
            from distributed import Client, LocalCluster

            t0 = time.perf_counter()
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
            kwargs["client"] = client
            startup = time.perf_counter() - t0
        else:
            startup = 0.0
        cache = work / "cache"
        corpus = Corpus(files, root=files[0].parent)
        with MemoryMonitor(progress_dir=cache, total=len(files)) as mon:
            start = time.perf_counter()
            corpus.tag(jobs=jobs, engine=engine, cache_dir=cache, method=method, timeout=600, **kwargs)
            tagged = time.perf_counter() - start
            corpus.write(work / "out")
            wall = time.perf_counter() - start
        docs = corpus.documents
        ok = docs[docs["status"] == "ok"]
        stages: dict[str, float] = {}
        for res in corpus.results.values():
            for k, v in (res.get("timings") or {}).items():
                stages[k] = round(stages.get(k, 0.0) + v, 2)
        return {"config": name, "workers": jobs, "wall_s": wall, "tag_s": tagged, "write_s": wall - tagged,
                "cpu_s": mon.cpu_seconds, "stage_s": stages,
                "startup_s": startup, "pages": int(ok["pages"].fillna(0).sum()), "docs": len(files),
                "ok": len(ok), "mentions": len(corpus.mentions), "events": len(corpus.events),
                "peak_total_mb": mb(mon.peak_total), "peak_process_mb": mb(mon.peak_single),
                "peak_worker_mb": mb(mon.peak_worker),
                "worker_peak_by_quarter_mb": {q: mb(v) for q, v in sorted(mon.by_quarter.items())}}
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        shutil.rmtree(work, ignore_errors=True)


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)}


def write_markdown(results: list[dict], info: dict, path: Path) -> None:
    bare = next((r for r in results if r["config"].startswith("bare")), None)
    bare_spp = bare["wall_s"] / bare["pages"] if bare and bare["pages"] else None
    lines = [
        "# Benchmark: `sca tag` on a generated corpus",
        "",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gb']} GB RAM, Python {info['python']}. "
        f"Load average before / after: {info['load_before']} / {info['load_after']} "
        "(the machine was shared with other jobs: treat figures as ratios).",
        f"Corpus: {info['docs']} generated review PDFs, {info['pages']} pages "
        f"({info['min_pages']}-{info['max_pages']} pages each; `benchmarks/generate_corpus.py`). "
        f"Theme method: {info['method']}. Date: {info['date']}.",
        "",
        "| configuration | workers | wall s (tag + write) | pages/s | reviews/min | wall s/page vs bare | CPU s/page vs bare | peak RSS total MB | largest process MB | worker peak at 25/50/75/100% of docs MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    bare_cpp = bare["cpu_s"] / bare["pages"] if bare and bare["pages"] else None
    for r in results:
        pps = r["pages"] / r["wall_s"] if r["wall_s"] else 0
        rpm = 60 * r["docs"] / r["wall_s"] if r["wall_s"] else 0
        ratio = f"{(r['wall_s'] / r['pages']) / bare_spp:.2f}x" if bare_spp and r["pages"] else "-"
        quarters = "/".join(str(v) for v in (r.get("worker_peak_by_quarter_mb") or {}).values()) or "-"
        cratio = f"{(r['cpu_s'] / r['pages']) / bare_cpp:.2f}x" if bare_cpp and r["pages"] and r.get("cpu_s") else "-"
        wall = f"{r['wall_s']:.1f}" + (f" ({r['tag_s']:.1f} + {r['write_s']:.1f})" if "tag_s" in r else "")
        lines.append(f"| {r['config']} | {r['workers']} | {wall} | {pps:.2f} | {rpm:.2f} | {ratio} | {cratio} | "
                     f"{r['peak_total_mb']} | {r['peak_process_mb']} | {quarters} |")
    lines += ["", "Wall time of the `Corpus.tag` configurations covers tagging and writing every output "
              "(tables, GraphML, report.html); Dask cluster start-up is excluded (reported in results.json). "
              "CPU time sums every process (parent and workers), so it is less sensitive to other jobs on the machine.",
              ""]
    for r in results:
        if r.get("stage_s"):
            total = sum(r["stage_s"].values()) or 1
            parts = ", ".join(f"{k} {v:.0f} s ({100 * v / total:.0f}%)" for k, v in r["stage_s"].items())
            lines.append(f"- {r['config']}: time inside the per-document function: {parts}.")
    lines.append("")
    two = next((r for r in results if r["config"] == "process2"), None)
    one = next((r for r in results if r["config"] == "process1"), None)
    goals = ["## Goals", ""]
    if one and bare_spp:
        ratio = (one["wall_s"] / one["pages"]) / bare_spp
        cratio = (one["cpu_s"] / one["pages"]) / (bare["cpu_s"] / bare["pages"]) if one.get("cpu_s") else float("nan")
        tag_ratio = (one["tag_s"] / one["pages"]) / bare_spp
        goals.append(f"- End to end within 2x bare pdfplumber per page (1 worker vs 1 process): "
                     f"**{ratio:.2f}x** wall, {cratio:.2f}x CPU - {'met' if ratio <= 2 else 'not met'} "
                     f"({tag_ratio:.2f}x for tagging alone, without writing the outputs and report; worker start-up "
                     f"and model loading are included and weigh more on a small corpus).")
    if one and one.get("cpu_s"):
        cores = info.get("cores") or 2
        cpp = one["cpu_s"] / one["pages"]
        pps_cpu = min(cores, 2) / cpp
        avg_pages = one["pages"] / max(1, one["ok"])
        goals.append(f"- CPU-based estimate (what 2 otherwise idle cores would do; wall-clock figures above were "
                     f"taken with a load average of {info['load_before']} on {cores} cores): {cpp:.3f} CPU s/page "
                     f"-> {pps_cpu:.1f} pages/s on 2 cores -> 1,500 reviews in {1500 * avg_pages / pps_cpu / 60:.0f} min "
                     f"at {avg_pages:.0f} pages each, {1500 * 50 / pps_cpu / 60:.0f} min at 50 pages each.")
        if bare and bare.get("cpu_s"):
            bare_pps = min(cores, 2) / (bare["cpu_s"] / bare["pages"])
            goals.append(f"- For scale: bare pdfplumber `extract_text` alone would need "
                         f"{1500 * 50 / bare_pps / 60:.0f} min for 1,500 reviews of 50 pages on 2 cores, so the one-hour "
                         "goal cannot be met by any pipeline built on pdfplumber text extraction.")
    if two:
        q = list((two.get("worker_peak_by_quarter_mb") or {}).values())
        if q:
            goals.append(f"- Peak memory flat as the corpus grows (largest worker after 25/50/75/100% of the "
                         f"documents, 2 workers): {' / '.join(str(v) for v in q)} MB.")
        pps = two["pages"] / two["wall_s"]
        avg_pages = two["pages"] / max(1, two["ok"])
        minutes = 1500 * avg_pages / pps / 60
        minutes50 = 1500 * 50 / pps / 60
        goals.append(f"- 1,500 reviews on 2 cores, wall clock as measured here: at {pps:.2f} pages/s, {minutes:.0f} min for reviews of "
                     f"{avg_pages:.0f} pages like these, {minutes50:.0f} min at 50 pages each "
                     f"(goal: under 60 min) - {'met' if minutes50 <= 60 else 'not met'}.")
    lines += goals + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=HERE / "_corpus")
    ap.add_argument("--limit", type=int, default=None, help="use the first N reviews only")
    ap.add_argument("--configs", default="bare,process1,process2,dask")
    ap.add_argument("--method", default="rules")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    ap.add_argument("--from-json", type=Path, default=None, help="only rewrite RESULTS.md from a results.json")
    args = ap.parse_args(argv)
    if args.from_json:
        data = json.loads(args.from_json.read_text())
        write_markdown(data["results"], data["machine"], args.out)
        print(args.out.read_text())
        return
    files = sorted(args.corpus.glob("*.pdf"))[: args.limit]
    if not files:
        sys.exit(f"{args.corpus}: no PDFs; run benchmarks/generate_corpus.py first")
    info = machine()
    info.update(docs=len(files), method=args.method, date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                load_before=" ".join(f"{x:.1f}" for x in os.getloadavg()))
    results = []
    for cfg in args.configs.split(","):
        print(f"running {cfg} on {len(files)} reviews...", flush=True)
        if cfg == "bare":
            r = bench_bare(files)
        elif cfg == "process1":
            r = bench_corpus(files, "process1", jobs=1, method=args.method)
        elif cfg == "process2":
            r = bench_corpus(files, "process2", jobs=2, method=args.method)
        elif cfg == "dask":
            r = bench_corpus(files, "dask", jobs=2, engine="dask", method=args.method)
        else:
            sys.exit(f"unknown configuration {cfg}")
        print(json.dumps(r), flush=True)
        results.append(r)
    pages = next((r["pages"] for r in results if r["config"].startswith("bare")), None) or max(r["pages"] for r in results)
    counts = [int(x) for x in (_manifest_pages(args.corpus, files))]
    info.update(pages=pages, min_pages=min(counts) if counts else "?", max_pages=max(counts) if counts else "?",
                load_after=" ".join(f"{x:.1f}" for x in os.getloadavg()))
    (HERE / "_results").mkdir(exist_ok=True)
    (HERE / "_results" / "results.json").write_text(json.dumps({"machine": info, "results": results}, indent=1))
    write_markdown(results, info, args.out)
    print(args.out.read_text())


def _manifest_pages(corpus: Path, files: list[Path]) -> list[int]:
    import csv

    m = corpus / "manifest.csv"
    if not m.is_file():
        return []
    names = {f.name for f in files}
    with open(m, encoding="utf-8") as fh:
        return [int(r["pages"]) for r in csv.DictReader(fh) if r["file"] in names]


if __name__ == "__main__":
    main()
