"""Exports of a built graph: RDF serializations and the interactive HTML view."""
