"""The static site of a programme: results shared as pages anyone can open, host or archive.

:func:`build_site` (and ``civicinnov site PORTFOLIO OUTDIR``) writes a self-contained website in
the spirit of Open SDG's indicator pages: a programme overview, a page per challenge, a page per
metric and place with its turn-the-curve chart and downloads, the network, and every reported
claim with its source. Pages are in English or French (``lang=``), work from ``file://`` with no
request leaving the folder, and read well on a phone and with a screen reader.

Charts are hand-written SVG with ``<title>`` and ``<desc>`` text alternatives, so the site needs
no optional extra (matplotlib is not used) and a thousand-city programme builds in seconds.

Example:
    >>> import pathlib, tempfile
    >>> from civicinnov.datasets import load_iteams
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     site = build_site(load_iteams(), tmp)
    ...     html = (pathlib.Path(tmp) / "index.html").read_text(encoding="utf-8")
    >>> '<html lang="en">' in html, "Tel Aviv-Yafo" in html
    (True, True)
"""

from civicinnov.site._build import SiteSummary, build_site

__all__ = ["SiteSummary", "build_site"]
