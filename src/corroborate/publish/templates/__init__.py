"""HTML templates of briefings."""
