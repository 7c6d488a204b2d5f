"""Type stubs of the native module ``docspace_auth._native`` (hand-written; checked against the
built module by ``python -m mypy.stubtest docspace_auth._native`` in python/run-tests.sh)."""

import datetime
import os
from typing import Optional, Sequence, Union, final

from typing_extensions import disjoint_base

from docspace_auth.enums import Algorithm, ConfirmType, TfaMethod
from docspace_auth.errors import DocSpaceError
from docspace_auth.results import AppValidation

__all__ = [
    "__version__",
    "Client",
    "Session",
    "Challenge",
    "Authenticated",
    "CodeRequired",
    "SetupRequired",
    "SmsRequired",
    "AppSetup",
    "BackupCode",
    "TfaMethodSettings",
    "TfaPolicy",
    "TfaPolicyUpdate",
    "AppReset",
    "Totp",
    "OtpauthUri",
    "totp",
    "verify_totp",
    "seconds_remaining",
    "parse_otpauth_uri",
]

__version__: str

#: A moment: Unix seconds (int or float) or a datetime (naive = local time).
_Time = Union[int, float, datetime.datetime]
#: A duration in seconds.
_Seconds = Union[int, float, datetime.timedelta]
_StrPath = Union[str, "os.PathLike[str]"]

@final
class Client:
    """A DocSpace portal client; thread-safe, usable as a context manager."""

    def __new__(
        cls,
        base_url: str,
        *,
        timeout: _Seconds = 30.0,
        connect_timeout: _Seconds = 10.0,
        ca_file: Optional[_StrPath] = None,
        ca_pem: Union[str, bytes, None] = None,
        allow_insecure_http: bool = False,
        user_agent: Optional[str] = None,
        max_response_bytes: int = 1048576,
        use_env_proxy: bool = True,
    ) -> "Client": ...
    @property
    def base_url(self) -> str: ...
    @property
    def closed(self) -> bool: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Client": ...
    def __exit__(self, *_exc_info: object) -> None: ...
    def login(
        self, user_name: str, password: str
    ) -> Union["Authenticated", "CodeRequired", "SetupRequired", "SmsRequired"]: ...
    def login_with_code(self, user_name: str, password: str, code: str) -> "Session": ...
    def setup_app(self, challenge: "Challenge") -> "AppSetup": ...
    def validate_app(self, challenge: "Challenge", code: str) -> AppValidation: ...
    def backup_codes(self, session: "Session") -> list["BackupCode"]: ...
    def regenerate_backup_codes(self, session: "Session") -> list["BackupCode"]: ...
    def logout(self, session: "Session") -> None: ...
    def is_authenticated(self, session: "Session") -> bool: ...
    def tfa_policy(self, session: "Session") -> "TfaPolicy": ...
    def set_tfa_policy(self, session: "Session", update: "TfaPolicyUpdate") -> bool: ...
    def confirm_context(self, session: "Session") -> Optional["Challenge"]: ...
    def reset_app(self, session: "Session", user_id: str) -> "AppReset": ...

@final
class Session:
    """A signed-in session: a login token or a personal API key."""

    @staticmethod
    def from_token(token: str) -> "Session": ...
    @staticmethod
    def from_api_key(key: str) -> "Session": ...
    @property
    def token(self) -> str: ...
    @property
    def is_api_key(self) -> bool: ...
    @property
    def expires(self) -> Optional[str]: ...
    @property
    def user_id(self) -> Optional[str]: ...

@disjoint_base
class Challenge:
    """A pending app-2FA sign-in (confirm context)."""

    __match_args__: tuple[str, ...]
    @property
    def user_name(self) -> str: ...
    @property
    def confirm_type(self) -> ConfirmType: ...
    @property
    def is_activation(self) -> bool: ...
    @property
    def user_id(self) -> str: ...
    @property
    def confirm_url(self) -> str: ...
    @property
    def confirm_key(self) -> Optional[str]: ...
    @property
    def secret(self) -> Optional[str]: ...
    @property
    def otpauth_uri(self) -> Optional[str]: ...

@final
class CodeRequired(Challenge):
    """``login`` outcome: an app is linked; finish with a TOTP or backup code."""

    __match_args__: tuple[str, ...]

@final
class SetupRequired(Challenge):
    """``login`` outcome: no app linked yet; ``secret`` is the TOTP secret to enrol."""

    __match_args__: tuple[str, ...]
    @property
    def secret(self) -> str: ...
    @property
    def otpauth_uri(self) -> str: ...

@final
class SmsRequired:
    """``login`` outcome: SMS 2FA applies."""

    __match_args__: tuple[str, ...]
    @property
    def phone_noise(self) -> Optional[str]: ...
    @property
    def expires(self) -> Optional[str]: ...
    @property
    def confirm_url(self) -> Optional[str]: ...
    @property
    def phone_activation_required(self) -> bool: ...

@final
class Authenticated:
    """``login`` outcome: signed in."""

    __match_args__: tuple[str, ...]
    @property
    def session(self) -> Session: ...

@final
class AppSetup:
    """The setup payload for linking an authenticator app."""

    @property
    def account(self) -> str: ...
    @property
    def manual_entry_key(self) -> str: ...
    @property
    def qr_code_png(self) -> bytes: ...
    @property
    def otpauth_uri(self) -> str: ...

@final
class BackupCode:
    """One backup code."""

    __match_args__: tuple[str, ...]
    @property
    def code(self) -> str: ...
    @property
    def used(self) -> bool: ...

@final
class TfaMethodSettings:
    """One entry of the portal's 2FA policy."""

    @property
    def method(self) -> TfaMethod: ...
    @property
    def title(self) -> str: ...
    @property
    def enabled(self) -> bool: ...
    @property
    def available(self) -> bool: ...
    @property
    def trusted_ips(self) -> list[str]: ...
    @property
    def mandatory_users(self) -> list[str]: ...
    @property
    def mandatory_groups(self) -> list[str]: ...

@final
class TfaPolicy:
    """The portal's 2FA policy."""

    @property
    def methods(self) -> list[TfaMethodSettings]: ...
    @property
    def enabled_method(self) -> TfaMethod: ...

@final
class TfaPolicyUpdate:
    """A change to the portal's 2FA policy."""

    def __new__(
        cls,
        method: Union[TfaMethod, str],
        *,
        trusted_ips: Sequence[str] = ...,
        mandatory_users: Sequence[str] = ...,
        mandatory_groups: Sequence[str] = ...,
    ) -> "TfaPolicyUpdate": ...
    @property
    def method(self) -> TfaMethod: ...
    @property
    def trusted_ips(self) -> list[str]: ...
    @property
    def mandatory_users(self) -> list[str]: ...
    @property
    def mandatory_groups(self) -> list[str]: ...

@final
class AppReset:
    """``reset_app``'s answer."""

    __match_args__: tuple[str, ...]
    @property
    def session(self) -> Optional[Session]: ...
    @property
    def challenge(self) -> Optional[Challenge]: ...

@final
class Totp:
    """A TOTP generator and verifier (defaults: SHA1, 6 digits, 30 s)."""

    def __new__(
        cls,
        secret: str,
        *,
        algorithm: Union[Algorithm, str] = "SHA1",
        digits: int = 6,
        period: int = 30,
    ) -> "Totp": ...
    @staticmethod
    def from_bytes(
        secret: bytes,
        *,
        algorithm: Union[Algorithm, str] = "SHA1",
        digits: int = 6,
        period: int = 30,
    ) -> "Totp": ...
    @staticmethod
    def from_uri(uri: str) -> "Totp": ...
    @property
    def algorithm(self) -> Algorithm: ...
    @property
    def digits(self) -> int: ...
    @property
    def period(self) -> int: ...
    @property
    def secret(self) -> str: ...
    def code_at(self, at: _Time) -> str: ...
    def code_now(self) -> str: ...
    def verify(self, code: str, window: int = 1, at: Optional[_Time] = None) -> Optional[int]: ...
    def seconds_remaining(self, at: Optional[_Time] = None) -> int: ...
    def to_uri(self, account: str, issuer: Optional[str] = None) -> str: ...

@final
class OtpauthUri:
    """An ``otpauth://totp/…`` key URI: generator, issuer and account."""

    __match_args__: tuple[str, ...]
    def __new__(cls, totp: Totp, account: str, issuer: Optional[str] = None) -> "OtpauthUri": ...
    @staticmethod
    def parse(uri: str) -> "OtpauthUri": ...
    @property
    def totp(self) -> Totp: ...
    @property
    def issuer(self) -> Optional[str]: ...
    @property
    def account(self) -> str: ...
    def to_uri(self) -> str: ...

def totp(secret: str, at: Optional[_Time] = None) -> str: ...
def verify_totp(secret: str, code: str, window: int = 1, at: Optional[_Time] = None) -> Optional[int]: ...
def seconds_remaining(at: Optional[_Time] = None, *, period: int = 30) -> int: ...
def parse_otpauth_uri(uri: str) -> OtpauthUri: ...
def _error_kinds() -> list[str]: ...
def _error_for_kind(
    kind: str,
    message: str,
    *,
    status: Optional[int] = None,
    server_message: Optional[str] = None,
    retry_after: Optional[float] = None,
) -> DocSpaceError: ...
def _is_retryable(kind: str) -> bool: ...
