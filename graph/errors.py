"""The one base class of the mistakes and failures a user can act on.

The CLI prints any OversightError as one line on stderr and exits 1, without a traceback
unless --debug; anything else is a bug and keeps its traceback.
"""


class OversightError(Exception):
    """A failure the user can act on: printed as one line, without a traceback."""
