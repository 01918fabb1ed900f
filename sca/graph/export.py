"""Write a contact graph as GraphML, GEXF or node-link JSON.

GraphML and GEXF cannot hold None, lists or dicts: attributes are sanitised
(None -> "", lists/dicts -> JSON strings, numpy scalars -> Python scalars).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx

FORMATS = ("graphml", "gexf", "json")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(v):
    if v is None:
        return ""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(v, float) and v != v:  # NaN
        return ""
    if isinstance(v, str):
        return _CONTROL.sub("", v)  # XML 1.0 cannot hold most control characters
    if isinstance(v, (bool, int, float)):
        return v
    if isinstance(v, (list, tuple, set, dict)):
        return json.dumps(list(v) if isinstance(v, set) else v, default=str, ensure_ascii=False)
    return str(v)


def sanitised(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``graph`` whose attributes GraphML and GEXF can store."""
    g = graph.__class__()
    g.graph.update({k: _clean(v) for k, v in graph.graph.items()})
    for n, d in graph.nodes(data=True):
        g.add_node(n, **{k: _clean(v) for k, v in d.items()})
    for u, v, k, d in graph.edges(keys=True, data=True):
        g.add_edge(u, v, key=k, **{kk: _clean(vv) for kk, vv in d.items()})
    return g


def write_graph(graph: nx.MultiDiGraph, path: str | Path, fmt: str | None = None) -> Path:
    """Write ``graph`` to ``path`` in ``fmt`` (graphml, gexf or json; default from the suffix)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"{path}: unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(sanitised(graph), path)
    elif fmt == "gexf":
        nx.write_gexf(sanitised(graph), path)
    else:
        data = nx.node_link_data(graph, edges="links")
        path.write_text(json.dumps(data, indent=1, default=_clean, ensure_ascii=False), encoding="utf-8")
    return path


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_graph`."""
    path = Path(path)
    fmt = path.suffix.lstrip(".").lower()
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "json":
        return nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), directed=True, multigraph=True, edges="links")
    raise ValueError(f"{path}: unknown graph format {fmt!r}")
