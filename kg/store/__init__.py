"""SPARQL: the on-disk store, queries with timeouts, result formats, the endpoint and loading into other stores."""
