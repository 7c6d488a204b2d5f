"""The exception classes: one per error kind of the core, built through the binding's single
kind -> class mapping; attributes, built-in bases, pickling, repr."""

from __future__ import annotations

import pickle

import pytest

import docspace_auth as ds
import docspace_auth.errors as errors
from docspace_auth import _native

EXPECTED = {
    "invalid_argument": (ds.InvalidArgumentError, ValueError),
    "network": (ds.NetworkError, ConnectionError),
    "timeout": (ds.DocSpaceTimeoutError, TimeoutError),
    "tls": (ds.TlsError, ConnectionError),
    "invalid_credentials": (ds.InvalidCredentialsError, None),
    "invalid_code": (ds.InvalidCodeError, None),
    "locked_out": (ds.LockedOutError, None),
    "rate_limited": (ds.RateLimitedError, None),
    "tfa_not_available": (ds.TfaNotAvailableError, None),
    "confirm_context": (ds.ConfirmContextError, None),
    "access_denied": (ds.AccessDeniedError, PermissionError),
    "session_invalid": (ds.SessionInvalidError, None),
    "server_error": (ds.ServerError, None),
    "unexpected_response": (ds.UnexpectedResponseError, None),
}


def test_every_core_kind_has_a_class() -> None:
    assert sorted(_native._error_kinds()) == sorted(EXPECTED)
    assert set(errors.ERROR_CLASSES) == set(EXPECTED)
    assert len(set(errors.ERROR_CLASSES.values())) == len(EXPECTED)


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_mapping_gives_the_class_of_each_kind(kind: str) -> None:
    cls, builtin = EXPECTED[kind]
    error = _native._error_for_kind(kind, "what happened", status=418, server_message="teapot", retry_after=2.5)
    assert type(error) is cls
    assert isinstance(error, ds.DocSpaceError)
    if builtin is not None:
        assert isinstance(error, builtin)
    assert error.kind == kind == cls.kind
    assert errors.ERROR_CLASSES[kind] is cls
    assert error.status == 418
    assert error.server_message == "teapot"
    assert error.retry_after == 2.5
    assert str(error) == "what happened (HTTP 418: teapot)"
    assert error.retryable is _native._is_retryable(kind)
    with pytest.raises(cls):
        raise error


def test_optional_attributes_default_to_none() -> None:
    error = _native._error_for_kind("network", "no route")
    assert (error.status, error.server_message, error.retry_after) == (None, None, None)
    assert str(error) == "no route"
    assert repr(error) == "NetworkError('no route')"


def test_repr_and_pickle() -> None:
    error = _native._error_for_kind("rate_limited", "slow down", status=429, retry_after=120.0)
    assert repr(error) == "RateLimitedError('slow down (HTTP 429)', status=429, retry_after=120.0)"
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is ds.RateLimitedError
    assert (str(copy), copy.status, copy.retry_after) == (str(error), 429, 120.0)
    timeout = pickle.loads(pickle.dumps(_native._error_for_kind("timeout", "late")))
    assert isinstance(timeout, TimeoutError) and isinstance(timeout, ds.DocSpaceTimeoutError)
    assert timeout.kind == "timeout"


def test_python_classes_can_be_raised_directly() -> None:
    error = ds.InvalidCodeError("bad code", status=401)
    assert error.kind == "invalid_code" and error.status == 401 and error.retry_after is None
    assert ds.DocSpaceTimeoutError("x").kind == "timeout"
    assert issubclass(ds.DocSpaceTimeoutError, TimeoutError)
    assert ds.DocSpaceTimeoutError is not TimeoutError


def test_unknown_kind_is_rejected_by_the_test_hook() -> None:
    with pytest.raises(ValueError):
        _native._error_for_kind("nope", "x")
