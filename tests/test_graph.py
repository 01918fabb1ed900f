import json

import networkx as nx
import pandas as pd
import pytest

from sca.graph.build import contact_graph
from sca.graph.export import read_graph, write_graph
from sca.graph.summary import concern_response_gaps, contacts_before_incident, contacts_per_agency, silent_agency_pairs, summary_tables


@pytest.fixture
def events():
    rows = [
        ("r1", "e1", "2020-01-10", "day", "police", "mother", "police_incident", "no", True, "Officers attended.", 2, "4.1"),
        ("r1", "e2", "2020-01-12", "day", "police", "childrens_social_care", "information_shared", "no", True, "Notification sent to MASH.", 2, "4.2"),
        ("r1", "e3", "2020-02-01", "day", "health_visiting", "mother", "home_visit", "yes", True, "HV saw a bruise.", 3, "4.3"),
        ("r1", "e4", "2020-03-01", "month", "gp", "child", "appointment", "yes", True, "GP saw Child A about a mark.", 3, "4.4"),
        ("r1", "e5", "2020-03-20", "day", "gp", "childrens_social_care", "referral", "no", True, "GP referred to CSC.", 3, "4.5"),
        ("r1", "e6", "2020-04-01", "day", "hospital", "child", "hospital_attendance", "yes", True, "Child A admitted.", 4, "4.6"),
    ]
    cols = ["doc_id", "event_id", "date", "date_precision", "agency", "counterpart", "contact_type", "child_seen", "concern", "sentence", "page", "para"]
    return pd.DataFrame(rows, columns=cols)


def test_graph_nodes_and_edges(events):
    g = contact_graph(events)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.nodes["police"]["kind"] == "agency" and g.nodes["mother"]["kind"] == "family"
    assert g.nodes["gp"]["contacts"] == 2 and g.nodes["gp"]["first_date"] == "2020-03-01"
    edges = list(g.edges("police", data=True, keys=True))
    kinds = {d["kind"] for _, _, _, d in edges}
    assert kinds == {"contact", "information_shared"}
    (_, _, k, d), = [e for e in g.edges("gp", data=True, keys=True) if e[1] == "childrens_social_care"]
    assert k == "r1:e5" and d["kind"] == "referral" and d["evidence"] == "GP referred to CSC." and d["para"] == "4.5"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_round_trip(events, tmp_path, fmt):
    ev = events.copy()
    ev.loc[0, "page"] = None  # GraphML cannot hold None: must be sanitised
    ev.loc[1, "sentence"] = "Bullet\x07 text from a PDF"  # nor control characters
    g = contact_graph(ev)
    path = write_graph(g, tmp_path / f"g.{fmt}")
    back = read_graph(path)
    assert back.number_of_nodes() == g.number_of_nodes()
    assert back.number_of_edges() == g.number_of_edges()
    if fmt == "json":
        assert json.loads(path.read_text())["links"][0]["evidence"]


def test_export_unknown_format(events, tmp_path):
    with pytest.raises(ValueError, match="unknown graph format"):
        write_graph(contact_graph(events), tmp_path / "g.xyz")


def test_summaries(events):
    per = contacts_per_agency(events)
    assert per.set_index("agency").loc["gp", "contacts"] == 2
    before = contacts_before_incident(events)
    assert before.iloc[0]["incident_date"] == "2020-04-01" and before.iloc[0]["contacts"] == 3  # family contacts before it
    pairs = silent_agency_pairs(events)
    got = set(zip(pairs.agency_a, pairs.agency_b))
    assert ("gp", "health_visiting") not in got  # periods do not overlap (HV only in Feb)
    assert ("childrens_social_care", "gp") not in got  # they exchanged a referral
    gaps = concern_response_gaps(events)
    hv = gaps.set_index("event_id").loc["e3"]
    assert hv["response_event_id"] == "e5" and hv["gap_days"] == 48
    assert set(summary_tables(events)) == {"contacts_per_agency", "contacts_before_incident", "silent_agency_pairs", "concern_response_gaps"}


def test_pictures(events, tmp_path):
    from sca.events.missed import missed_opportunities
    from sca.graph.plot import plot_network, plot_timeline

    t = plot_timeline(events, missed_opportunities(events), path=tmp_path / "t.png")
    n = plot_network(contact_graph(events), path=tmp_path / "n.svg")
    assert t.stat().st_size > 1000 and n.read_text().lstrip().startswith(("<?xml", "<svg"))
    with pytest.raises(ValueError):
        plot_network(contact_graph(events), path=tmp_path / "n.gif")


def test_pictures_do_not_change_the_callers_matplotlib_backend(events, tmp_path):
    # a notebook's inline backend must survive drawing (the library builds Figure objects
    # itself rather than going through pyplot)
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent(
        f"""
        import matplotlib
        matplotlib.use("svg")
        import pandas as pd
        from sca.graph.plot import plot_timeline, plot_network
        from sca.graph.build import contact_graph
        from sca.corpus.report import heatmap
        ev = pd.read_json({str(tmp_path / "ev.json")!r})
        fig = plot_timeline(ev)
        plot_network(contact_graph(ev), path={str(tmp_path / "n.png")!r})
        heatmap(pd.DataFrame([[1, 2], [2, 1]]), "t", "c", mask_diagonal=True)
        print(matplotlib.get_backend(), type(fig).__name__)
        """
    )
    events.to_json(tmp_path / "ev.json")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["svg", "Figure"]
