"""RDF: the vocabulary, instance IRIs, records -> dataset, serialization, the one graph reader, validation."""
