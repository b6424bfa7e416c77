"""Gapboard ui layer."""
