"""The surveys domain (placeholder while building)."""
