"""ONLYOFFICE DocSpace sign-in and two-factor authentication, on a Rust core.

    import docspace_auth as ds

    with ds.Client("https://portal.example.com") as client:
        outcome = client.login(user, password)
        match outcome:
            case ds.Authenticated(session=session):
                pass
            case ds.CodeRequired():
                session = client.login_with_code(user, password, ds.totp(my_stored_secret))
            case ds.SetupRequired(secret=secret):
                linked_now, session = client.validate_app(outcome, ds.totp(secret))
            case ds.SmsRequired():
                session = client.login_with_code(user, password, input("SMS code: "))

Every network call releases the GIL; a ``Client`` may be shared between threads. Failures
raise subclasses of :class:`DocSpaceError` (see :mod:`docspace_auth.errors`). ``repr()`` of
sessions, challenges, setups, codes and errors never shows a secret.
"""

from __future__ import annotations

from typing import Union

from docspace_auth._native import (
    AppReset,
    AppSetup,
    Authenticated,
    BackupCode,
    Challenge,
    Client,
    CodeRequired,
    OtpauthUri,
    Session,
    SetupRequired,
    SmsRequired,
    TfaMethodSettings,
    TfaPolicy,
    TfaPolicyUpdate,
    Totp,
    __version__,
    parse_otpauth_uri,
    seconds_remaining,
    totp,
    verify_totp,
)
from docspace_auth.enums import Algorithm, ConfirmType, TfaMethod
from docspace_auth.results import AppValidation
from docspace_auth.errors import (
    AccessDeniedError,
    ConfirmContextError,
    DocSpaceError,
    DocSpaceTimeoutError,
    InvalidArgumentError,
    InvalidCodeError,
    InvalidCredentialsError,
    LockedOutError,
    NetworkError,
    RateLimitedError,
    ServerError,
    SessionInvalidError,
    TfaNotAvailableError,
    TlsError,
    UnexpectedResponseError,
)

#: What ``Client.login`` returns (a type alias).
LoginOutcome = Union[Authenticated, CodeRequired, SetupRequired, SmsRequired]

__all__ = [
    "__version__",
    # client and flow results
    "Client",
    "Session",
    "LoginOutcome",
    "Challenge",
    "Authenticated",
    "CodeRequired",
    "SetupRequired",
    "SmsRequired",
    "AppSetup",
    "AppValidation",
    "AppReset",
    "BackupCode",
    "TfaPolicy",
    "TfaMethodSettings",
    "TfaPolicyUpdate",
    "TfaMethod",
    "ConfirmType",
    # TOTP
    "Totp",
    "OtpauthUri",
    "Algorithm",
    "totp",
    "verify_totp",
    "seconds_remaining",
    "parse_otpauth_uri",
    # errors
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
]
