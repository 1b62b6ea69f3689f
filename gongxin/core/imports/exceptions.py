"""The one exception of the import framework."""

from __future__ import annotations

from gongxin.core.errors import ServiceError


class ImportRefused(ServiceError):
    """A file (or a commit) refused as a whole; the message is Chinese and shown as is.

    `row` and `column` locate the problem when it has a place in the file (a formula cell,
    a malformed CSV line); both are None for problems of the whole file.
    """

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        super().__init__(message)
        self.row = row
        self.column = column

    def as_error(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}
