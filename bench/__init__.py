"""Gapboard bench layer."""
