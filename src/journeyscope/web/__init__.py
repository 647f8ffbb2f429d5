"""The HTTP door: API v1 (and, later, pages and the widget). Holds no domain logic."""
