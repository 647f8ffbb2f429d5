"""API v1: one router module per resource."""
