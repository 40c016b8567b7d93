"""User-facing errors: every failure a user can cause or fix is one of these.

The CLI prints `message` (and `hint`, the thing to do about it) and exits 2,
never a traceback.
"""


class CockpitError(Exception):
    """An error to show the user as-is, with what to do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  → {self.hint}" if self.hint else self.message
