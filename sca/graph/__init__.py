"""Agency-contact graphs: build, summarise, export and draw."""

from sca.graph.build import contact_graph
from sca.graph.export import read_graph, write_graph
from sca.graph.summary import summary_tables

__all__ = ["contact_graph", "read_graph", "summary_tables", "write_graph"]
