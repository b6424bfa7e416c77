"""Gapboard analytics/forecast layer."""
