"""Sphinx extension: draw the tutorial's chart from the data the tutorial's own code builds.

On ``builder-inited`` it reads ``tutorial/run-an-i-team.md``, runs its Python examples in order
(the ``>>>`` lines, as the docs' tests do) until the example that draws the chart has run, and
saves the ``figure`` it made to ``_build/figures/tutorial_turn_the_curve.png``, so the picture
on the page is exactly what the code above it draws. Without matplotlib (the ``plot`` extra) no
figure is drawn and the page's image is left out of the build with a note in the log.
"""

from __future__ import annotations

import doctest
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx

TUTORIAL = Path("tutorial") / "run-an-i-team.md"
FIGURE = Path("_build") / "figures" / "tutorial_turn_the_curve.png"


def draw(source_dir: Path) -> Path | None:
    """Run the tutorial's examples and save its chart; None without matplotlib."""
    if importlib.util.find_spec("matplotlib") is None:
        return None
    text = (source_dir / TUTORIAL).read_text(encoding="utf-8")
    examples = []
    for example in doctest.DocTestParser().get_examples(text):
        examples.append(example)
        if "plot_turn_the_curve(" in example.source:
            break
    namespace: dict[str, Any] = {"__name__": "tutorial"}
    test = doctest.DocTest(examples, namespace, "tutorial", str(TUTORIAL), 0, None)
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    # the examples run as the docs' tests run them: expected errors are expected
    runner.run(test, out=lambda _text: None, clear_globs=False)
    figure = test.globs.get("figure")
    if figure is None:
        raise RuntimeError(f"{TUTORIAL}: no example made a `figure` with plot_turn_the_curve")
    out = source_dir / FIGURE
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=100)
    return out


def _on_builder_inited(app: Sphinx) -> None:
    draw(Path(app.srcdir))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", _on_builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
