"""Named errors, so that every failure the user sees is one line saying what and where."""

from __future__ import annotations


class KgError(Exception):
    """An error newskg reports to the user as one line, then exits non-zero."""

    code = "E000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(message)

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.source}: {message}" if self.source else message

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the keyword fields, so errors travel back from worker processes whole."""
        return (_rebuild, (type(self), self.args, vars(self)))


def _rebuild(kind: type[KgError], args: tuple[object, ...], fields: dict[str, object]) -> KgError:
    error = kind.__new__(kind)
    Exception.__init__(error, *args)
    error.__dict__.update(fields)
    return error


class InputError(KgError):
    """An input file or text that cannot be read as an article."""

    code = "E001"


class OutputError(KgError):
    """An output that cannot be written (unknown format, unwritable place)."""

    code = "E002"


class ValidationError(KgError):
    """An article graph that does not conform to the SHACL shapes."""

    code = "E003"

    def __init__(self, message: str, *, source: str | None = None, report: str = "") -> None:
        super().__init__(message, source=source)
        self.report = report


class ModelError(KgError):
    """A spaCy pipeline that cannot be loaded."""

    code = "E004"
