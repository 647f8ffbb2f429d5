"""Versioned HTTP APIs."""
