"""Data shipped with the publish layer."""
