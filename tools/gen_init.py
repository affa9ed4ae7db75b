"""Regenerate the TYPE_CHECKING imports and the literal ``__all__`` of ``civicinnov/__init__.py``.

The lazy ``_EXPORTS`` table is the single source of truth; mypy needs literal imports and a literal
``__all__`` to see the re-exports, so this script writes them from the table.

Run: ``.venv/bin/python tools/gen_init.py``; it then formats the file with ruff.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

INIT = Path(__file__).resolve().parents[1] / "src" / "civicinnov" / "__init__.py"


def main() -> None:
    text = INIT.read_text(encoding="utf-8")
    tree = ast.parse(text)
    exports: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "_EXPORTS":
            exports = ast.literal_eval(_expand(node.value))
    by_module: dict[str, list[str]] = defaultdict(list)
    for name, module in exports.items():
        by_module[module].append(name)
    lines = ["if TYPE_CHECKING:"]
    for module in sorted(by_module):
        names = sorted(by_module[module])
        lines.append(f"    from {module} import (")
        lines.extend(f"        {name} as {name}," for name in names)
        lines.append("    )")
    block = "\n".join(lines) + "\n"
    text = re.sub(r"if TYPE_CHECKING:\n(?:    .*\n|\n)*?(?=\n#: Where)", block, text, count=1)
    all_block = "__all__ = [\n" + "".join(f'    "{n}",\n' for n in sorted(exports)) + "]\n"
    text = re.sub(
        r"__all__ = (?:\[\n(?:    .*\n)*\]|sorted\(_EXPORTS\).*)\n", all_block, text, count=1
    )
    INIT.write_text(text, encoding="utf-8")
    ruff = [sys.executable, "-m", "ruff"]
    subprocess.run([*ruff, "check", "--fix", "--quiet", str(INIT)], check=False)
    subprocess.run([*ruff, "format", "--quiet", str(INIT)], check=True)


def _expand(node: ast.expr) -> ast.expr:
    """Turn ``{**dict.fromkeys([...], "mod"), ...}`` into a plain dict literal."""
    assert isinstance(node, ast.Dict)
    keys: list[ast.expr | None] = []
    values: list[ast.expr] = []
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None and isinstance(value, ast.Call):
            names, module = value.args
            assert isinstance(names, ast.List)
            for element in names.elts:
                keys.append(element)
                values.append(module)
        else:
            keys.append(key)
            values.append(value)
    return ast.Dict(keys=keys, values=values)


if __name__ == "__main__":
    main()
