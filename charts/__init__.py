"""Gapboard charts layer."""
