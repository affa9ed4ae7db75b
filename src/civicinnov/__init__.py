"""civicinnov: typed models of city-government innovation, the Innovation Teams way."""

__all__: list[str] = []
