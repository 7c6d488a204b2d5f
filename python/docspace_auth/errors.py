"""Exceptions raised by :mod:`docspace_auth`.

Every failure is a :class:`DocSpaceError`. Its subclass says what went wrong, one class per
error kind of the Rust core; where the meaning matches, the class also derives from the
built-in exception Python code already catches (``ValueError``, ``ConnectionError``,
``TimeoutError``, ``PermissionError``).

The attributes carry the details as data:

``kind``
    the core's stable identifier (``"invalid_code"``, ``"rate_limited"`` …), the same string
    in every language binding.
``status``
    the HTTP status of the portal's answer, or ``None`` when there was no answer.
``server_message``
    the portal's own ``error.message``, when its answer had one.
``retry_after``
    how long the portal asked to wait, in seconds (``Retry-After``), or ``None``.
``retryable``
    whether repeating the same call later may succeed (advice: the library never retries
    a sign-in, a code or a backup-code regeneration by itself).

Messages and ``repr()`` never contain a password, token, TOTP secret, confirm key or code.

The native module (``docspace_auth._native``) imports these classes and raises them; the
mapping from the core's error kinds to classes is in one place, ``python/src/errors.rs``.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "DocSpaceError",
    "InvalidArgumentError",
    "NetworkError",
    "DocSpaceTimeoutError",
    "TlsError",
    "InvalidCredentialsError",
    "InvalidCodeError",
    "LockedOutError",
    "RateLimitedError",
    "TfaNotAvailableError",
    "ConfirmContextError",
    "AccessDeniedError",
    "SessionInvalidError",
    "ServerError",
    "UnexpectedResponseError",
    "ERROR_CLASSES",
]


class DocSpaceError(Exception):
    """Base class of every error raised by docspace_auth."""

    #: The core's stable error-kind name (``"invalid_code"`` …).
    kind: str = "unknown"
    #: Whether repeating the same call later may succeed without changing its inputs.
    retryable: bool = False

    status: Optional[int]
    server_message: Optional[str]
    retry_after: Optional[float]

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        server_message: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.server_message = server_message
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        """What happened and what to do next, in plain words."""
        return str(self.args[0]) if self.args else ""

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        parts = [repr(self.message)]
        if self.status is not None:
            parts.append(f"status={self.status}")
        if self.server_message is not None:
            parts.append(f"server_message={self.server_message!r}")
        if self.retry_after is not None:
            parts.append(f"retry_after={self.retry_after}")
        return f"{type(self).__name__}({', '.join(parts)})"


class InvalidArgumentError(DocSpaceError, ValueError):
    """An argument is unusable: empty, too long, control characters, a bad URL or secret."""

    kind = "invalid_argument"


class NetworkError(DocSpaceError, ConnectionError):
    """The connection could not be made or broke (DNS, refused, reset, proxy)."""

    kind = "network"
    retryable = True


class DocSpaceTimeoutError(DocSpaceError, TimeoutError):
    """The connect or total timeout elapsed."""

    kind = "timeout"
    retryable = True


class TlsError(DocSpaceError, ConnectionError):
    """The TLS handshake failed (untrusted or invalid certificate, protocol error)."""

    kind = "tls"


class InvalidCredentialsError(DocSpaceError):
    """The portal rejected the user name or password."""

    kind = "invalid_credentials"


class InvalidCodeError(DocSpaceError):
    """The portal rejected the TOTP, SMS or backup code (wrong, expired, spent, or too many tries)."""

    kind = "invalid_code"


class LockedOutError(DocSpaceError):
    """Too many failed attempts: the portal blocks this login (or its 2FA codes) for a while."""

    kind = "locked_out"
    retryable = True


class RateLimitedError(DocSpaceError):
    """The portal's rate limiter answered 429; see :attr:`retry_after`."""

    kind = "rate_limited"
    retryable = True


class TfaNotAvailableError(DocSpaceError):
    """App 2FA is not available for this request (policy off, app already linked, or not linked)."""

    kind = "tfa_not_available"


class ConfirmContextError(DocSpaceError):
    """The confirm context (the key from the sign-in answer) is missing, expired or refused."""

    kind = "confirm_context"


class AccessDeniedError(DocSpaceError, PermissionError):
    """The portal refused the operation for this account (access denied, user disabled)."""

    kind = "access_denied"


class SessionInvalidError(DocSpaceError):
    """The session token is not, or no longer, valid: signed out, revoked or expired."""

    kind = "session_invalid"


class ServerError(DocSpaceError):
    """The portal failed (HTTP 5xx), often with an HTML error page."""

    kind = "server_error"
    retryable = True


class UnexpectedResponseError(DocSpaceError):
    """The answer did not have the expected shape (not JSON, wrong envelope, missing field, too large)."""

    kind = "unexpected_response"


#: Every error class by its ``kind``.
ERROR_CLASSES: dict[str, type[DocSpaceError]] = {
    cls.kind: cls
    for cls in (
        InvalidArgumentError,
        NetworkError,
        DocSpaceTimeoutError,
        TlsError,
        InvalidCredentialsError,
        InvalidCodeError,
        LockedOutError,
        RateLimitedError,
        TfaNotAvailableError,
        ConfirmContextError,
        AccessDeniedError,
        SessionInvalidError,
        ServerError,
        UnexpectedResponseError,
    )
}
