"""Build ``src/civicinnov/_geodata/countries.json`` from Natural Earth's 1:110m admin-0 countries.

Natural Earth (https://www.naturalearthdata.com) is in the public domain. The 1:110m "Admin 0 –
Countries" layer is read here from the shapefile that geopandas 0.14 ships as its
``naturalearth_lowres`` dataset (``geopandas/datasets/naturalearth_lowres/*.shp``, ``*.dbf``):

    pip download --no-deps geopandas==0.14.4 -d /tmp/ne
    unzip /tmp/ne/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*' -d /tmp/ne
    python tools/build_geodata.py /tmp/ne/geopandas/datasets/naturalearth_lowres/naturalearth_lowres

The shapefile and dBASE readers below cover what that file uses (polygons, character and numeric
fields) and need only numpy. Each ring is simplified with Douglas–Peucker at ``TOLERANCE`` degrees
and stored as integers in hundredths of a degree, so the JSON stays small.
"""

from __future__ import annotations

import itertools
import json
import struct
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "civicinnov" / "_geodata" / "countries.json"
TOLERANCE = 0.02  # degrees; finer than the 1:110m data in most places, so little is lost
SCALE = 100  # stored as integer hundredths of a degree


def read_shp(path: Path) -> list[list[np.ndarray]]:
    """Polygon records of a shapefile: for each record, its rings as (n, 2) lon/lat arrays."""
    data = path.read_bytes()
    (shape_type,) = struct.unpack("<i", data[32:36])
    if shape_type != 5:
        raise SystemExit(f"{path}: expected polygons (shape type 5), got {shape_type}")
    records = []
    pos = 100
    while pos < len(data):
        _, length = struct.unpack(">ii", data[pos : pos + 8])
        content = data[pos + 8 : pos + 8 + 2 * length]
        pos += 8 + 2 * length
        (kind,) = struct.unpack("<i", content[:4])
        if kind == 0:
            records.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = np.frombuffer(content, "<i4", n_parts, 44)
        points = np.frombuffer(content, "<f8", 2 * n_points, 44 + 4 * n_parts).reshape(-1, 2)
        bounds = [*parts.tolist(), n_points]
        records.append([points[a:b] for a, b in itertools.pairwise(bounds)])
    return records


def read_dbf(path: Path, encoding: str) -> list[dict[str, str]]:
    """The records of a dBASE III table as text fields."""
    data = path.read_bytes()
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos : pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_records):
        start = header_len + i * record_len + 1  # skip the deletion flag
        row, at = {}, start
        for name, width in fields:
            row[name] = data[at : at + width].decode(encoding).strip()
            at += width
        rows.append(row)
    return rows


def simplify(ring: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas–Peucker simplification of a closed ring (first and last points kept)."""
    keep = np.zeros(len(ring), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        seg = ring[b] - ring[a]
        rel = ring[a + 1 : b] - ring[a]
        norm = float(np.hypot(*seg))
        if norm == 0.0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / norm
        i = int(np.argmax(dist))
        if dist[i] > tolerance:
            keep[a + 1 + i] = True
            stack += [(a, a + 1 + i), (a + 1 + i, b)]
    return ring[keep]


def main(stem: Path) -> None:
    shapes = read_shp(stem.with_suffix(".shp"))
    encoding = stem.with_suffix(".cpg").read_text().strip() or "latin-1"
    rows = read_dbf(stem.with_suffix(".dbf"), encoding)
    countries = []
    points = 0
    for row, rings in zip(rows, shapes, strict=True):
        kept = []
        for ring in rings:
            small = simplify(ring, TOLERANCE)
            if len(small) < 4:
                continue
            ints = np.round(small * SCALE).astype(np.int64)
            points += len(ints)
            kept.append(ints.ravel().tolist())
        if kept:
            countries.append({"name": row["name"], "iso_a3": row["iso_a3"], "rings": kept})
    countries.sort(key=lambda c: c["name"])
    document = {
        "source": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries (public domain)",
        "scale": SCALE,
        "countries": countries,
    }
    OUT.write_text(json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(countries)} countries, {points} points, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
