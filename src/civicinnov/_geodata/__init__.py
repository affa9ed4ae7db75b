"""Shipped geographic data (private): the world's country outlines, read by :mod:`civicinnov.plot`.

``countries.json`` is Natural Earth's 1:110m admin-0 countries (public domain); see the README
beside it for the source, the licence and how it was built.
"""
