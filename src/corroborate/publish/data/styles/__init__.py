"""Citation styles (YAML)."""
