"""``sca parse FILE_OR_FOLDER`` and ``sca evaluate parse``."""

from __future__ import annotations

import json
from pathlib import Path

import click


def _outline(review) -> str:
    m = review.metadata
    lines = [f"== {review.doc_id} ({m.format}{f', {m.pages} pages' if m.pages else ''}, {m.words or 0:,} words)"]
    for field in ("title", "board", "review_type", "child_code", "author", "year"):
        lines.append(f"  {field:<12} {getattr(m, field) if getattr(m, field) is not None else '-'}")
    lines.append(f"  {'metadata':<12} {'from ' + m.metadata_source.replace('_', ' ') if m.metadata_source else 'not found (no cover sheet or title page)'}")
    lines.append("  sections:")
    for s in review.sections:
        numbered = sum(1 for p in s.paragraphs if p.number)
        indent = "  " * max(0, s.level - 1)
        page = f"p{s.page}" if s.page else ""
        lines.append(
            f"    {indent}{s.heading or '(untitled)'}  [{s.kind}]  {len(s.paragraphs)} paragraphs"
            f"{f', {numbered} numbered' if numbered else ''}  {page}".rstrip()
        )
    if review.tables:
        lines.append("  tables:")
        for t in review.tables:
            cols = " | ".join(t.header)[:70]
            where = f"page {t.page}, " if t.page else ""
            lines.append(f"    #{t.index}: {len(t.rows)} rows ({where}{t.section or 'no section'} [{t.section_kind}]): {cols}")
    for w in review.warnings:
        lines.append(f"  warning: {w}")
    return "\n".join(lines)


@click.command("parse")
@click.argument("path", type=click.Path(exists=True))
@click.option("--json", "json_out", type=click.Path(), default=None,
              help="Write the parsed review(s) as JSON (one file; a list for a folder).")
@click.option("--max-bytes", type=int, default=None, help="Refuse files larger than this (bytes).")
@click.option("--no-tables", is_flag=True, help="Skip PDF table detection (faster).")
@click.option("--pdf-engine", type=click.Choice(["auto", "pdfium", "pdfplumber"]), default="auto", show_default=True,
              help="PDF text engine: pdfium (fast; 'auto') or pdfplumber.")
def parse_cmd(path: str, json_out: str | None, max_bytes: int | None, no_tables: bool, pdf_engine: str) -> None:
    """Read a review (or every review in a folder) and print its outline.

    Shows the metadata, the sections with their kinds and paragraph counts, and the tables.
    Unreadable files are reported with the reason; the exit status is 1 if any failed.
    """
    from sca.errors import ReadError
    from sca.ingest import iter_read, read

    opts = {"tables": not no_tables, "pdf_engine": pdf_engine}
    if max_bytes is not None:
        opts["max_bytes"] = max_bytes
    target = Path(path)
    reviews, failed = [], 0
    if target.is_file():
        try:
            results = [(target, read(target, **opts))]
        except ReadError as exc:
            results = [(target, exc)]
    else:
        results = iter_read(target, **opts)
    for f, result in results:
        if isinstance(result, ReadError):
            failed += 1
            click.echo(f"!! cannot read [{result.reason}] {result}", err=True)
            continue
        reviews.append(result)
        click.echo(_outline(result))
    if json_out:
        data = reviews[0].to_dict() if target.is_file() and reviews else [r.to_dict() for r in reviews]
        Path(json_out).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        click.echo(f"wrote {json_out}")
    if failed:
        raise SystemExit(1)


@click.command("parse")
@click.option("--docs", type=click.Path(exists=True, file_okay=False), required=True, help="Folder of documents.")
@click.option("--source", type=click.Path(exists=True, file_okay=False), default=None, help="Folder of <id>.md sources.")
@click.option("--meta", type=click.Path(exists=True, file_okay=False), default=None, help="Folder of <id>.json metadata.")
@click.option("--broken", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of hostile files with expected.json.")
@click.option("--json", "json_out", type=click.Path(), default=None, help="Write the results as JSON.")
@click.option("--timing", is_flag=True, help="Also time sca.read against bare pdfplumber on the PDFs.")
def evaluate_parse_cmd(docs, source, meta, broken, json_out, timing) -> None:
    """Score parsing against gold: numbered paragraphs, header/footer leaks, metadata, hostile files."""
    import pandas as pd

    from sca.evaluate.parse import evaluate_parse

    if broken is None and Path(docs).parent.parent.joinpath("broken", "expected.json").exists():
        broken = str(Path(docs).parent.parent / "broken")
    res = evaluate_parse(docs, source, meta, broken)
    with pd.option_context("display.width", 160, "display.max_colwidth", 70):
        click.echo(res["documents"].to_string(index=False))
        if not res["metadata"].empty:
            wrong = res["metadata"][res["metadata"]["right"] == False]  # noqa: E712
            if not wrong.empty:
                click.echo("\nmetadata fields wrong:")
                click.echo(wrong.to_string(index=False))
        if not res["misses"].empty:
            click.echo(f"\nnumbered paragraphs missed ({len(res['misses'])}, first 20):")
            click.echo(res["misses"].head(20).to_string(index=False))
        if not res["leaks"].empty:
            click.echo("\nheader/footer leaks:")
            click.echo(res["leaks"].head(20).to_string(index=False))
        if res["broken"] is not None:
            click.echo("\nhostile files:")
            click.echo(res["broken"][["file", "expected", "got", "reason", "ok"]].to_string(index=False))
    if timing:
        from sca.evaluate.parse import benchmark_read

        bench = benchmark_read(sorted(Path(docs).glob("*.pdf")))
        res["timing"] = bench
        if not bench.empty:
            click.echo("\nreading speed (seconds; ratio = sca.read / bare pdfplumber extract_text):")
            click.echo(bench.to_string(index=False))
            res["summary"]["read_time_ratio"] = round(bench["sca_read_s"].sum() / bench["pdfplumber_s"].sum(), 2)
    click.echo("\nsummary: " + json.dumps(res["summary"]))
    if json_out:
        out = {k: (v.to_dict(orient="records") if isinstance(v, pd.DataFrame) else v) for k, v in res.items()}
        Path(json_out).write_text(json.dumps(out, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


COMMANDS = [parse_cmd]
EVALUATE_COMMANDS = [evaluate_parse_cmd]
