"""Micro-thesauri shipped with the analysis layer (YAML, read with importlib.resources)."""
