"""The city network: who learns from whom, who connects whom, and how a practice spreads.

* :mod:`civicinnov.network.graph` holds :class:`~civicinnov.network.graph.CityNetwork`, the typed
  relation kinds and the record types (:class:`~civicinnov.network.graph.Relation`,
  :class:`~civicinnov.network.graph.Adoption`), plus the great-circle helpers used for proximity links.
* :mod:`civicinnov.network.analysis` holds the analyses: peers, brokers, communities, reach,
  cross-border ties, the diffusion of a practice, simulated spread and seed selection.
* :mod:`civicinnov.network.io` reads and writes node-link JSON, GraphML and GEXF.

This package imports networkx (and, inside functions, scipy); ``import civicinnov`` does not import it.
"""
