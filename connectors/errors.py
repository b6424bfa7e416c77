"""Errors a person can fix, raised with a message that names the file, source or value and the fix."""

from __future__ import annotations


class UserError(Exception):
    """A problem the person running Gapboard can fix (exit code 2 on the command line)."""


class SourceError(UserError):
    """A publisher file or service could not be read; the message says which and why."""


class FeedError(UserError):
    """A member feed was refused whole (unreadable, wrong format, missing column, too large)."""
