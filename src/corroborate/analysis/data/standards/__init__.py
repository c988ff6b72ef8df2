"""Standards of proof shipped with Corroborate (YAML)."""
