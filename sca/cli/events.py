"""``sca events``, ``sca graph`` and ``sca evaluate events``."""

from __future__ import annotations

from pathlib import Path

import click


def _read(path: str):
    import sca
    from sca.errors import SCAError

    try:
        return sca.read(path)
    except SCAError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("events")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False), help="Write the events to this CSV file.")
@click.option("--missed", is_flag=True, help="Also list candidate missed opportunities.")
@click.option("--gazetteer", type=click.Path(exists=True, dir_okay=False), help="Extra agency gazetteer (YAML).")
def events_command(file: str, csv_out: str | None, missed: bool, gazetteer: str | None) -> None:
    """Extract dated contact events from the chronology of FILE."""
    from sca.events.extract import extract_events
    from sca.events.missed import missed_opportunities

    review = _read(file)
    kwargs = {}
    if gazetteer:
        from sca.events.gazetteer import Gazetteer

        kwargs["gazetteer"] = Gazetteer.load(extra=gazetteer)
    events = extract_events(review, **kwargs)
    if csv_out:
        events.to_csv(csv_out, index=False)
        click.echo(f"{len(events)} events written to {csv_out}")
    else:
        cols = ["event_id", "date", "date_precision", "agency", "counterpart", "contact_type", "child_seen", "concern", "para"]
        if events.empty:
            click.echo(f"{file}: no chronology events found (no chronology section or dated table, or not a review).")
        else:
            click.echo(events[cols].to_string(index=False))
    if missed:
        mo = missed_opportunities(events)
        click.echo(f"\n{len(mo)} candidate missed opportunities")
        if not mo.empty:
            click.echo(mo[["event_id", "date", "agency", "rule", "reason"]].to_string(index=False))


@click.command("graph")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Folder for the outputs.")
@click.option(
    "--format", "fmt", type=click.Choice(["graphml", "gexf", "json"]), multiple=True, help="Graph file format(s); default all three."
)
@click.option("--png", is_flag=True, help="Draw the timeline and network as PNG.")
@click.option("--svg", is_flag=True, help="Draw the timeline and network as SVG.")
def graph_command(file: str, out_dir: str, fmt: tuple[str, ...], png: bool, svg: bool) -> None:
    """Build the agency-contact graph of FILE and write it (and optional pictures) to --out."""
    from sca.events.extract import extract_events
    from sca.events.missed import missed_opportunities
    from sca.graph.build import contact_graph
    from sca.graph.export import write_graph
    from sca.graph.summary import summary_tables

    review = _read(file)
    events = extract_events(review)
    missed = missed_opportunities(events)
    graph = contact_graph(events)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = review.doc_id
    for f in fmt or ("graphml", "gexf", "json"):
        path = write_graph(graph, out / f"{stem}.{ 'json' if f == 'json' else f}", fmt=f)
        click.echo(f"wrote {path}")
    events.to_csv(out / f"{stem}.events.csv", index=False)
    missed.to_csv(out / f"{stem}.missed.csv", index=False)
    for name, table in summary_tables(events).items():
        table.to_csv(out / f"{stem}.{name}.csv", index=False)
    kinds = [k for k, on in (("png", png), ("svg", svg)) if on]
    if kinds:
        from sca.graph.plot import plot_network, plot_timeline

        for k in kinds:
            p1 = plot_timeline(events, missed=missed, path=out / f"{stem}.timeline.{k}")
            p2 = plot_network(graph, path=out / f"{stem}.network.{k}")
            click.echo(f"wrote {p1}\nwrote {p2}")
    click.echo(f"{len(events)} events, {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, {len(missed)} candidate missed opportunities")


@click.command("events")
@click.option("--docs", "docs_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--json", "json_out", type=click.Path(dir_okay=False), help="Write the full report as JSON.")
@click.option("--window-days", default=14, show_default=True, help="Missed-opportunity window.")
def evaluate_events_command(docs_dir: str, gold_dir: str, json_out: str | None, window_days: int) -> None:
    """Score event extraction and missed opportunities against gold JSONL files."""
    import json

    from sca.evaluate.events import evaluate_events

    report = evaluate_events(docs_dir, gold_dir, window_days=window_days)
    s = report["summary"]
    click.echo(
        f"events: P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
        f"(tp={s['tp']} fp={s['fp']} fn={s['fn']})"
    )
    for field, acc in report["field_accuracy"].items():
        click.echo(f"  {field} accuracy on matches: {acc if acc is None else round(acc, 3)}")
    m = report["missed"]
    click.echo(
        f"missed opportunities: P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
        f"(tp={m['tp']} fp={m['fp']} fn={m['fn']})"
    )
    for row in report["per_document"]:
        if row["gold"] == 0:
            click.echo(f"  {row['doc_id']}: no gold events; {row['pred']} predicted")
            continue
        click.echo(f"  {row['doc_id']}: P={row['precision']:.2f} R={row['recall']:.2f} F1={row['f1']:.2f} gold={row['gold']} pred={row['pred']}")
    if json_out:
        Path(json_out).write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
        click.echo(f"report written to {json_out}")


COMMANDS = [events_command, graph_command]
EVALUATE_COMMANDS = [evaluate_events_command]
