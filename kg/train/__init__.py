"""Training of the models whose weights ship in the package (not part of a build; see ``docs/NER.md``).

``python -m kg.train ner`` rebuilds the sequence labeller's weights ``kg/extract/data/ner-<version>.npz``.
"""
