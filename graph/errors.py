"""The base classes of the mistakes and failures a user can act on.

The CLI prints any OversightError as one line on stderr and exits with its `exit_code`,
without a traceback unless --debug; anything else is a bug and keeps its traceback.
Exit 2 means the command line itself is wrong (an unknown query, a missing or ill-typed
parameter); exit 1 means the command was right but its input, data or store failed.
"""


class OversightError(Exception):
    """A failure the user can act on: printed as one line, exit 1."""

    exit_code = 1


class UsageProblem(OversightError):
    """The command line is wrong: exit 2, like click's own usage errors."""

    exit_code = 2
