"""Files and documents: the package-owned cattrs converter, versioned JSON, a JSON Schema, CSV.

- :mod:`civicinnov.io.serde`: :func:`~civicinnov.io.serde.new_converter`, strict structuring with
  path-aware errors;
- :mod:`civicinnov.io.json`: portfolio documents with a ``schema_version``, atomic saves;
- :mod:`civicinnov.io.schema`: the JSON Schema of the document, and a small validator for it;
- :mod:`civicinnov.io.csv`: observations in CSV read into columnar metric series.

Submodules are imported on first use, so ``import civicinnov.io`` stays cheap.
"""
