"""CLI for the codebook and theme tagging.

``sca codebook show|export|validate``, ``sca themes FILE``, ``sca kappa A.jsonl B.jsonl``,
``sca evaluate themes GOLD.jsonl`` and ``sca evaluate kappa A.jsonl B.jsonl``.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

_CODEBOOK_OPT = click.option(
    "--codebook", "codebook", default=None, type=click.Path(exists=True, dir_okay=False),
    help="Codebook YAML (default: the packaged codebook; 'mode: extend' in the file extends it).",
)


def _load_codebook(path):
    from sca.errors import CodebookError
    from sca.themes.codebook import load_codebook

    try:
        return load_codebook(path)
    except CodebookError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group("codebook")
def codebook_group() -> None:
    """Show, validate or export the theme codebook."""


@codebook_group.command("show")
@_CODEBOOK_OPT
@click.option("--theme", "theme_id", default=None, help="Show one theme in full (definition, rules, examples).")
def codebook_show(codebook: str | None, theme_id: str | None) -> None:
    """List the themes of the codebook."""
    cb = _load_codebook(codebook)
    if theme_id:
        try:
            t = cb.get(theme_id)
        except KeyError as exc:
            raise click.ClickException(str(exc.args[0])) from exc
        click.echo(f"{t.id} ({t.family}): {t.label}\n\n{t.definition}\n")
        for title, items in (("Include", t.include), ("Exclude", t.exclude), ("Examples", t.examples),
                             ("Counter-examples", t.counter_examples)):
            if items:
                click.echo(f"{title}:")
                for i in items:
                    click.echo(f"  - {i}")
        click.echo("Rules:")
        for r in t.rules:
            click.echo(f"  {r.id} [{r.kind}, weight {r.weight}]: {len(r.patterns)} pattern(s)")
        return
    click.echo(f"Codebook {cb.id} version {cb.version}: {len(cb)} themes")
    df = cb.to_frame()[["id", "family", "label", "rules"]]
    click.echo(df.to_string(index=False))


@codebook_group.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def codebook_validate(file: str) -> None:
    """Check a codebook file; report the first problem with its entry."""
    cb = _load_codebook(file)
    click.echo(f"{file}: valid, version {cb.version}, {len(cb)} themes, {len(cb.rules)} rules")


@codebook_group.command("export")
@_CODEBOOK_OPT
@click.option("--qdc", "qdc_out", type=click.Path(dir_okay=False), help="Write a REFI-QDA codebook (.qdc).")
@click.option("--yaml", "yaml_out", type=click.Path(dir_okay=False), help="Write the (merged) codebook as YAML.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), help="Write one row per theme as CSV.")
def codebook_export(codebook: str | None, qdc_out: str | None, yaml_out: str | None, csv_out: str | None) -> None:
    """Export the codebook for QualCoder, NVivo or ATLAS.ti (--qdc), or as YAML/CSV."""
    if not (qdc_out or yaml_out or csv_out):
        raise click.UsageError("give at least one of --qdc, --yaml, --csv")
    cb = _load_codebook(codebook)
    if qdc_out:
        from sca.themes.qdc import export_qdc

        export_qdc(qdc_out, cb)
        click.echo(f"REFI-QDA codebook with {len(cb)} codes written to {qdc_out}")
    if yaml_out:
        Path(yaml_out).write_text(cb.to_yaml(), encoding="utf-8")
        click.echo(f"Codebook written to {yaml_out}")
    if csv_out:
        cb.to_frame().to_csv(csv_out, index=False)
        click.echo(f"Theme table written to {csv_out}")


_METHOD_OPT = click.option("--method", type=click.Choice(["rules", "ml", "hybrid", "auto"]), default="rules",
                           show_default=True, help="Tagging method ('auto': hybrid when the default model loads).")
_METHOD_AUTO_OPT = click.option("--method", type=click.Choice(["rules", "ml", "hybrid", "auto"]), default="auto",
                                show_default=True, help="Tagging method ('auto': hybrid when the default model loads, else rules).")
_MODEL_OPT = click.option("--model", "model", default=None, type=click.Path(exists=True, file_okay=False),
                          help="Model directory for ml/hybrid (default: the shipped model).")


@click.command("themes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@_METHOD_AUTO_OPT
@_CODEBOOK_OPT
@_MODEL_OPT
@click.option("--all", "include_all", is_flag=True, help="Also list negated, hedged, hypothetical and good-practice mentions.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), help="Write the mentions to CSV.")
def themes_command(file: str, method: str, codebook: str | None, model: str | None, include_all: bool,
                   csv_out: str | None) -> None:
    """Tag one review FILE with codebook themes, with evidence for each mention."""
    import sca
    from sca.errors import SCAError
    from sca.themes.tagger import ThemeTagger

    try:
        review = sca.read(file)
        tagger = ThemeTagger(method=None if method == "auto" else method, codebook=codebook, model=model,
                             include_all=include_all)
        df = tagger.tag(review)
    except SCAError as exc:
        raise click.ClickException(str(exc)) from exc
    if csv_out:
        df.to_csv(csv_out, index=False)
        click.echo(f"{len(df)} mentions written to {csv_out}")
        return
    if df.empty:
        click.echo("No themes raised.")
        return
    counts = df[df["assertion"].isin(["asserted", "hedged"])].groupby("theme").size().sort_values(ascending=False)
    click.echo(counts.to_string())
    click.echo()
    click.echo(df[["page", "para", "theme", "assertion", "evidence"]].to_string(index=False, max_colwidth=80))


def _kappa_impl(file_a: str, file_b: str, json_out: str | None) -> None:
    from sca.errors import SCAError
    from sca.themes.agreement import kappa_files

    try:
        df = kappa_files(file_a, file_b)
    except SCAError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(df.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    if len(df):
        click.echo(f"mean kappa: {df['kappa'].mean():.3f}")
    if json_out:
        Path(json_out).write_text(json.dumps({
            "a": file_a, "b": file_b, "mean_kappa": round(float(df["kappa"].mean()), 4) if len(df) else None,
            "per_theme": {r["theme"]: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items() if k != "theme"}
                          for r in df.to_dict("records")},
        }, indent=2), encoding="utf-8")
        click.echo(f"JSON written to {json_out}")


@click.command("kappa")
@click.argument("file_a", type=click.Path(exists=True, dir_okay=False))
@click.argument("file_b", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Also write the table as JSON.")
def kappa_command(file_a: str, file_b: str, json_out: str | None) -> None:
    """Cohen's kappa per theme between two label files (JSONL with "themes", matched on unit_id)."""
    _kappa_impl(file_a, file_b, json_out)


@click.command("themes")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@_METHOD_OPT
@_CODEBOOK_OPT
@_MODEL_OPT
@click.option("--docs", "docs", type=click.Path(exists=True, file_okay=False),
              help="Folder of the gold units' documents (<doc_id>.pdf|docx|html|txt): section kinds "
                   "come from the parsed documents, as in 'sca tag'. Default: a docs/ folder beside "
                   "GOLD when it holds every document.")
@click.option("--headings", is_flag=True,
              help="Take each unit's section kind from its own gold heading, not from the documents.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Write the scores as JSON.")
def evaluate_themes_command(gold: str, method: str, codebook: str | None, model: str | None, docs: str | None,
                            headings: bool, json_out: str | None) -> None:
    """Score theme tagging against GOLD.jsonl ({"text", "themes"} per line).

    Prints precision, recall, F1 and support per theme, micro and macro averages, and the
    false-positive rate on units with no gold label. Section kinds (which open the hybrid's gate
    and skip methodology, glossary ...) come from the units' documents when they are found, as
    'sca tag' sees them, else from the gold headings; the last line says which.
    """
    from sca.errors import SCAError
    from sca.evaluate.themes import evaluate_themes, format_result, result_to_json

    if headings and docs:
        raise click.UsageError("--docs and --headings exclude each other")
    try:
        result = evaluate_themes(gold, method=None if method == "auto" else method, codebook=codebook, model=model,
                                 docs=None if headings else (docs or "auto"))
    except SCAError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_result(result))
    if json_out:
        Path(json_out).write_text(json.dumps(result_to_json(result), indent=2), encoding="utf-8")
        click.echo(f"JSON written to {json_out}")


COMMANDS: list[click.Command] = [codebook_group, themes_command, kappa_command]
# `sca kappa` and `sca evaluate kappa` are the same command, registered in both places.
EVALUATE_COMMANDS: list[click.Command] = [evaluate_themes_command, kappa_command]
