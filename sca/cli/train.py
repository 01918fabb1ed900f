"""``sca train``: fit the theme classifier on a labelled JSONL file and save it with skops."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("train")
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Labelled JSONL: one {\"text\", \"themes\": [ids]} object per line.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write the model, manifest.json, cv_metrics.json and MODEL_CARD.md into.")
@click.option("--codebook", "codebook", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Codebook YAML (default: the packaged codebook).")
@click.option("--folds", default=5, show_default=True, help="Cross-validation folds for thresholds and metrics.")
@click.option("--seed", default=0, show_default=True, help="Random seed for the CV split.")
def train_command(data_path: Path, out_dir: Path, codebook: Path | None, folds: int, seed: int) -> None:
    """Train the sentence theme classifier on labelled data and save it to OUT."""
    from sca.errors import SCAError
    from sca.themes.model import train

    try:
        clf = train(data_path, out_dir, codebook=codebook, folds=folds, seed=seed)
    except SCAError as exc:
        raise click.ClickException(str(exc)) from exc
    macro = clf.cv_metrics_.get("macro", {})
    click.echo(f"Trained on {clf.n_train_} sentences, {len(clf.themes_)} themes; "
               f"cross-validated macro-F1 {macro.get('f1', float('nan')):.3f}.")
    click.echo(f"Model written to {out_dir}")


COMMANDS = [train_command]
