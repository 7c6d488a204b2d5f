"""Enumerations used by :mod:`docspace_auth`.

Each member is also a ``str`` (its value), so plain strings are accepted wherever a member is:
``TfaPolicyUpdate("app")`` and ``Totp(secret, algorithm="SHA256")`` work too.
"""

from __future__ import annotations

import enum

__all__ = ["TfaMethod", "Algorithm", "ConfirmType"]


class TfaMethod(str, enum.Enum):
    """A portal two-factor method."""

    #: Two-factor authentication off.
    NONE = "none"
    #: Codes by text message.
    SMS = "sms"
    #: Codes from an authenticator app (TOTP).
    APP = "app"

    def __str__(self) -> str:
        return self.value


class Algorithm(str, enum.Enum):
    """The HMAC hash function of a TOTP generator (DocSpace uses SHA1)."""

    SHA1 = "SHA1"
    SHA256 = "SHA256"
    SHA512 = "SHA512"

    def __str__(self) -> str:
        return self.value


class ConfirmType(str, enum.Enum):
    """Which confirm link the portal issued with a 2FA challenge."""

    #: ``TfaActivation``: no app linked yet (setup, then validate).
    TFA_ACTIVATION = "TfaActivation"
    #: ``TfaAuth``: the app is linked; a code finishes the sign-in.
    TFA_AUTH = "TfaAuth"

    def __str__(self) -> str:
        return self.value
