"""Result types defined in Python (the native module builds them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from docspace_auth._native import Session

__all__ = ["AppValidation"]


class AppValidation(NamedTuple):
    """What ``Client.validate_app`` returns; unpacks as ``linked_now, session``."""

    #: True when this call linked the app (first activation; backup codes now exist),
    #: False when the app was already linked and the code signed the user in.
    linked_now: bool
    #: The new session.
    session: Session
