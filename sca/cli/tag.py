"""``sca tag FOLDER --out DIR``: batch-tag a folder of reviews into tables and a report."""

from __future__ import annotations

import sys
from pathlib import Path

import click


def summarise(corpus) -> tuple[str, int]:
    """Closing summary text and the number of documents processed successfully."""
    docs = corpus.documents
    n = len(docs)
    ok = int((docs["status"] == "ok").sum()) if n else 0
    failed = docs[docs["status"] != "ok"] if n else docs
    lines = [f"{n} file(s): {ok} tagged, {len(failed)} failed"
             f" ({corpus.stats.get('cached', 0)} taken from the cache)."]
    if ok:
        lines.append(f"{len(corpus.mentions)} theme mentions, {len(corpus.events)} events, "
                     f"{len(corpus.missed_opportunities)} candidate missed opportunities.")
    if len(failed):
        lines.append("Failed:")
        for _, row in failed.iterrows():
            error = str(row["error"] or "")
            if error.startswith(f"{row['path']}: "):
                error = error[len(str(row["path"])) + 2:]
            lines.append(f"  {row['path']}: {row['status']} ({row['reason']}): {error}")
    return "\n".join(lines), ok


@click.command("tag")
@click.argument("folder", type=click.Path(exists=True, path_type=Path))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the tables, graphs and report.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(min=1),
              help="Worker processes (one document per task).")
@click.option("--timeout", default=300.0, show_default=True, type=click.FloatRange(min=0),
              help="Seconds allowed per document (0: no limit).")
@click.option("--method", default="auto", show_default=True, type=click.Choice(["rules", "ml", "hybrid", "auto"]),
              help="Theme tagging method ('auto': hybrid when the default model loads).")
@click.option("--codebook", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Codebook YAML replacing the default ('mode: extend' in the file extends it).")
@click.option("--model", type=click.Path(exists=True, file_okay=False), default=None,
              help="Model directory for the ml and hybrid methods (default: the shipped model).")
@click.option("--engine", default="process", show_default=True, type=click.Choice(["process", "dask", "serial"]),
              help="Where documents are processed: local worker processes, a Dask cluster, or this process.")
@click.option("--scheduler", default=None, help="Dask scheduler address (with --engine dask), e.g. tcp://host:8786.")
@click.option("--xlsx", is_flag=True, help="Also write every table to one Excel workbook.")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the per-document cache (DIR/.cache).")
@click.option("--no-report", is_flag=True, help="Skip report.html.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--pipeline", default=None, metavar="MODULE:FUNCTION",
              help="Advanced: a custom per-document function f(path, options) -> dict.")
def tag_command(folder: Path, out_dir: Path, jobs: int, timeout: float, method: str, codebook: str | None,
                model: str | None, engine: str,
                scheduler: str | None, xlsx: bool, no_cache: bool, no_report: bool, quiet: bool,
                pipeline: str | None) -> None:
    """Tag every review under FOLDER (.pdf .docx .html .htm .txt .md, recursive).

    Writes documents.csv, mentions.csv/.parquet, review_themes.csv, theme_frequencies.csv,
    frequencies_by_{year,review_type,board}.csv, cooccurrence.csv, events.csv,
    missed_opportunities.csv, graphs/*.graphml, errors.csv and report.html into --out.
    Finished documents are cached in --out/.cache: a re-run skips unchanged files and an
    interrupted run resumes. Exits non-zero only when no file could be processed.
    """
    from sca.corpus import Corpus
    from sca.errors import SCAError

    if engine == "dask" and not scheduler:
        raise click.UsageError("--engine dask needs --scheduler ADDRESS")
    corpus = Corpus.from_folder(folder, exclude=[out_dir])
    if not len(corpus):
        click.echo(f"{folder}: no supported files (.pdf .docx .html .htm .txt .md) found.", err=True)
        sys.exit(1)
    cache_dir = None if no_cache else out_dir / ".cache"
    click.echo(f"Tagging {len(corpus)} file(s) from {folder} with {engine}"
               f"{'' if engine != 'process' else f' ({jobs} worker(s))'}, method {method}.", err=True)
    try:
        corpus.tag(jobs=jobs, engine=engine, scheduler=scheduler, timeout=timeout or None, cache_dir=cache_dir,
                   method=method, codebook=codebook, model=model, progress=not quiet, pipeline=pipeline)
    except RuntimeError as exc:  # e.g. the Dask scheduler cannot be reached
        raise click.ClickException(str(exc)) from exc
    except SCAError as exc:  # a codebook or model that cannot be used: nothing was started
        raise click.ClickException(f"{exc} - fix the file, or leave out --codebook/--model to use the defaults") from exc
    except KeyboardInterrupt:
        done = len(corpus.results)
        click.echo(f"\nInterrupted: {done} document(s) finished"
                   + ("" if no_cache else f" and kept in {cache_dir}; run the same command again to resume") + ".",
                   err=True)
        sys.exit(130)
    written = corpus.write(out_dir, xlsx=xlsx, report=not no_report)
    text, ok = summarise(corpus)
    click.echo(text)
    click.echo(f"Outputs in {out_dir} ({len(written)} files/folders).")
    if ok == 0:
        click.echo("Nothing could be processed.", err=True)
        sys.exit(1)


COMMANDS = [tag_command]
