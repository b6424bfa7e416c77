"""Gapboard exports layer."""
