from __future__ import annotations


class ConflictError(Exception):
    """An edit based on a stale version of a record (optimistic locking)."""

    def __init__(self, message: str = "该记录已被他人修改，请刷新页面后重试。"):
        super().__init__(message)
        self.message = message


class ServiceError(Exception):
    """A business rule refused the action; the message is Chinese and shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
