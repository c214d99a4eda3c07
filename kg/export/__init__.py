"""Exports of a built graph: the one networkx projection, the interactive HTML view and GEXF / GraphML files."""
