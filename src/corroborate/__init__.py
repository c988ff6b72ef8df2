"""Corroborate: an evidence workbench for testimony-based human-rights investigations."""

__version__ = "0.1.0"

__all__ = ["__version__"]
