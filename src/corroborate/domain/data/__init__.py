"""Data files shipped with the domain layer (read with importlib.resources)."""
