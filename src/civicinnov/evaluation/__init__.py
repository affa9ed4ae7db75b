"""Evaluation: progress against targets, trends, and estimates of impact.

- :mod:`civicinnov.evaluation.progress`: baseline-aware progress, on-track status, the Open SDG-style
  growth status, and "turn the curve" against a baseline forecast.
- :mod:`civicinnov.evaluation.trend`: a least-squares trend in units per time, with its interval.
"""
