"""Journeyscope: customer journey mapping from continuous feedback and interviews."""

__version__ = "0.1.0.dev0"
