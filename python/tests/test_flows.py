"""Every flow against the emulator over real HTTP, including the three seed flows end to end:
sign in with a code; link an authenticator app without a browser (setup + validate, and
through login_with_code); read and regenerate backup codes."""

from __future__ import annotations

import docspace_auth as ds
import pytest

from conftest import Emulator

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def code_for(emulator: Emulator, secret: str) -> str:
    """The current code on the emulator's clock (which tests may move)."""
    return ds.totp(secret, at=emulator.now())


def sign_in_linked(client: ds.Client, emulator: Emulator) -> tuple[ds.Session, str]:
    user = emulator.user("linked@example.com")
    assert user.totp_secret is not None
    session = client.login_with_code(user.email, user.password, code_for(emulator, user.totp_secret))
    return session, user.totp_secret


def assert_no_secret_in(text: str, *secrets: str | None) -> None:
    for secret in secrets:
        if secret:
            assert secret not in text


# -- sign-in without 2FA, sessions, logout ---------------------------------------------------


def test_plain_login_session_and_logout(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("plain@example.com")
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.Authenticated)
    session = outcome.session
    assert session.token and not session.is_api_key
    assert session.expires is not None and session.expires.startswith("20")
    assert_no_secret_in(repr(outcome), session.token, user.password)
    assert client.is_authenticated(session)
    # A token stored between runs works again.
    assert client.is_authenticated(ds.Session.from_token(session.token))
    client.logout(session)
    assert not client.is_authenticated(session)
    assert not client.is_authenticated(ds.Session.from_token("not-a-token"))


def test_login_outcomes_support_match(client: ds.Client, emulator: Emulator) -> None:
    seen = []
    for email in ["plain@example.com", "linked@example.com", "setup@example.com", "sms@example.com"]:
        user = emulator.user(email)
        outcome = client.login(user.email, user.password)
        match outcome:
            case ds.Authenticated(session=s):
                assert isinstance(s, ds.Session)
                seen.append("authenticated")
            case ds.CodeRequired(user_name=name):
                assert name == email
                seen.append("code")
            case ds.SetupRequired(secret=secret, otpauth_uri=uri):
                assert len(secret) == 16 and uri.startswith("otpauth://totp/")
                seen.append("setup")
            case ds.SmsRequired(phone_noise=noise):
                assert noise
                seen.append("sms")
            case _:
                pytest.fail(f"unexpected outcome {outcome!r}")
        # Positional patterns use __match_args__.
        match outcome:
            case ds.SetupRequired(secret, uri):
                assert secret and uri
            case ds.Authenticated(session):
                assert session.token
    assert seen == ["authenticated", "code", "setup", "sms"]


# -- seed flow 1: authenticate by code -------------------------------------------------------


def test_seed_flow_login_by_code(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    assert user.totp_secret is not None
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.CodeRequired)
    assert outcome.user_name == user.email
    assert outcome.user_id == user.id
    assert outcome.confirm_type is ds.ConfirmType.TFA_AUTH
    assert not outcome.is_activation
    assert outcome.secret is None and outcome.otpauth_uri is None
    assert outcome.confirm_key  # kept from Set-Cookie for validate_app
    assert "key=" not in outcome.confirm_url
    assert_no_secret_in(repr(outcome), outcome.confirm_key, user.password)

    with pytest.raises(ds.InvalidCodeError) as wrong:
        client.login_with_code(user.email, user.password, "000000" if code_for(emulator, user.totp_secret) != "000000" else "111111")
    assert wrong.value.status == 401

    session = client.login_with_code(user.email, user.password, code_for(emulator, user.totp_secret))
    assert client.is_authenticated(session)
    client.logout(session)
    assert not client.is_authenticated(session)


def test_code_required_then_validate_app_signs_in(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    assert user.totp_secret is not None
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.CodeRequired)
    result = client.validate_app(outcome, code_for(emulator, user.totp_secret))
    linked_now, session = result
    assert linked_now is False and result.linked_now is False
    assert session.user_id == user.id
    assert len(result) == 2 and result[0] is False and result[1].token == session.token
    assert_no_secret_in(repr(result), session.token)
    assert client.is_authenticated(session)


def test_setup_app_refuses_an_auth_challenge(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.CodeRequired)
    with pytest.raises(ds.InvalidArgumentError):
        client.setup_app(outcome)


# -- seed flow 2: connect an authenticator app without a browser ----------------------------


def test_seed_flow_link_app_by_setup_and_validate(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("setup@example.com")
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.SetupRequired)
    assert outcome.is_activation and outcome.confirm_type is ds.ConfirmType.TFA_ACTIVATION
    secret = outcome.secret
    assert secret == emulator.user_state(user.email)["totp_secret"]
    uri = ds.parse_otpauth_uri(outcome.otpauth_uri)
    assert uri.account == user.email and uri.totp.secret == secret
    assert_no_secret_in(repr(outcome), secret, outcome.otpauth_uri, outcome.confirm_key)

    setup = client.setup_app(outcome)
    assert setup.account == user.email
    assert setup.manual_entry_key == secret
    assert setup.qr_code_png.startswith(PNG_SIGNATURE)
    assert ds.Totp.from_uri(setup.otpauth_uri).secret == secret
    assert_no_secret_in(repr(setup), secret, setup.otpauth_uri)
    assert not emulator.user_state(user.email)["linked"]

    with pytest.raises(ds.InvalidCodeError):
        client.validate_app(outcome, "12345x")
    linked_now, session = client.validate_app(outcome, ds.totp(setup.manual_entry_key, at=emulator.now()))
    assert linked_now is True
    assert client.is_authenticated(session)
    state = emulator.user_state(user.email)
    assert state["linked"] and len(state["backup_codes"]) == 5
    codes = client.backup_codes(session)
    assert [c.code for c in codes] == [c["code"] for c in state["backup_codes"]]
    # From now on the account asks for a code.
    assert isinstance(client.login(user.email, user.password), ds.CodeRequired)


def test_seed_flow_link_app_by_login_with_code(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("setup@example.com")
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.SetupRequired)
    session = client.login_with_code(user.email, user.password, code_for(emulator, outcome.secret))
    assert client.is_authenticated(session)
    assert emulator.user_state(user.email)["linked"]
    again = client.login(user.email, user.password)
    assert isinstance(again, ds.CodeRequired)
    assert client.login_with_code(user.email, user.password, code_for(emulator, outcome.secret)).token


# -- seed flow 3: backup codes ----------------------------------------------------------------


def test_seed_flow_backup_codes(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    session, _ = sign_in_linked(client, emulator)
    old = client.backup_codes(session)
    assert len(old) == 5 and not any(c.used for c in old)
    assert all(len(c.code) == 6 for c in old)
    for code in old:
        assert code.code not in repr(code) and repr(code) == "BackupCode(code='***', used=False)"
    assert_no_secret_in(repr(old), *[c.code for c in old])

    new = client.regenerate_backup_codes(session)
    assert len(new) == 5 and not any(c.used for c in new)
    assert {c.code for c in new}.isdisjoint({c.code for c in old})
    assert [c.code for c in client.backup_codes(session)] == [c.code for c in new]

    # The old set died at once; a new code works exactly once.
    with pytest.raises(ds.InvalidCodeError):
        client.login_with_code(user.email, user.password, old[0].code)
    backup_session = client.login_with_code(user.email, user.password, new[0].code)
    assert client.is_authenticated(backup_session)
    with pytest.raises(ds.InvalidCodeError):
        client.login_with_code(user.email, user.password, new[0].code)
    after = client.backup_codes(session)
    assert [c.used for c in after] == [True, False, False, False, False]
    match after[0]:
        case ds.BackupCode(code=spent, used=True):
            assert spent == new[0].code
        case _:
            pytest.fail("BackupCode did not match")


def test_backup_code_through_validate_app(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    code = emulator.user_state(user.email)["backup_codes"][2]["code"]
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.CodeRequired)
    linked_now, session = client.validate_app(outcome, code)
    assert not linked_now and client.is_authenticated(session)
    assert emulator.user_state(user.email)["backup_codes"][2]["isUsed"]


def test_backup_codes_with_an_api_key(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    key = ds.Session.from_api_key(user.api_key)
    assert key.is_api_key
    assert len(client.backup_codes(key)) == 5
    assert client.is_authenticated(key)
    with pytest.raises(ds.InvalidArgumentError):
        client.logout(key)


# -- SMS ---------------------------------------------------------------------------------------


def test_sms_login(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("sms@example.com")
    outcome = client.login(user.email, user.password)
    assert isinstance(outcome, ds.SmsRequired)
    assert outcome.phone_noise and "*" in outcome.phone_noise
    assert not outcome.phone_activation_required
    sms_code = emulator.user_state(user.email)["sms_code"]
    assert sms_code
    assert sms_code not in repr(outcome)
    session = client.login_with_code(user.email, user.password, sms_code)
    assert client.is_authenticated(session)
    with pytest.raises(ds.InvalidCodeError):
        client.login_with_code(user.email, user.password, sms_code)  # single use


# -- policy, confirm context, reset --------------------------------------------------------------


def test_tfa_policy_read_and_set(client: ds.Client, emulator: Emulator) -> None:
    admin = emulator.user("admin@example.com")
    outcome = client.login(admin.email, admin.password)
    assert isinstance(outcome, ds.Authenticated)
    policy = client.tfa_policy(outcome.session)
    assert policy.enabled_method is ds.TfaMethod.APP
    methods = {m.method: m for m in policy.methods}
    assert methods[ds.TfaMethod.APP].enabled and methods[ds.TfaMethod.APP].available
    assert isinstance(methods[ds.TfaMethod.APP].title, str)
    assert "TfaPolicy(enabled_method='app'" in repr(policy)

    # Switch 2FA off: the setup user now signs in with the password alone.
    assert client.set_tfa_policy(outcome.session, ds.TfaPolicyUpdate(ds.TfaMethod.NONE)) is False
    assert client.tfa_policy(outcome.session).enabled_method is ds.TfaMethod.NONE
    setup_user = emulator.user("setup@example.com")
    assert isinstance(client.login(setup_user.email, setup_user.password), ds.Authenticated)

    # Switch it on again with lists: every session is signed out, the caller's included.
    update = ds.TfaPolicyUpdate("app", trusted_ips=["192.0.2.0/24"], mandatory_users=[setup_user.id])
    assert client.set_tfa_policy(outcome.session, update) is True
    assert not client.is_authenticated(outcome.session)
    fresh = client.login(admin.email, admin.password)
    assert isinstance(fresh, ds.Authenticated)
    app = {m.method: m for m in client.tfa_policy(fresh.session).methods}[ds.TfaMethod.APP]
    assert app.enabled and app.trusted_ips == ["192.0.2.0/24"] and app.mandatory_users == [setup_user.id]
    assert isinstance(client.login(setup_user.email, setup_user.password), ds.SetupRequired)


def test_confirm_context_for_a_linked_user(client: ds.Client, emulator: Emulator) -> None:
    session, secret = sign_in_linked(client, emulator)
    challenge = client.confirm_context(session)
    assert isinstance(challenge, ds.Challenge) and type(challenge) is ds.Challenge
    assert challenge.confirm_type is ds.ConfirmType.TFA_AUTH
    assert challenge.user_id == emulator.user("linked@example.com").id
    linked_now, fresh = client.validate_app(challenge, code_for(emulator, secret))
    assert not linked_now and client.is_authenticated(fresh)
    plain = emulator.user("plain@example.com")
    plain_outcome = client.login(plain.email, plain.password)
    assert isinstance(plain_outcome, ds.Authenticated)
    assert client.confirm_context(plain_outcome.session) is None


def test_reset_own_app_and_link_a_new_one(client: ds.Client, emulator: Emulator) -> None:
    user = emulator.user("linked@example.com")
    session, old_secret = sign_in_linked(client, emulator)
    reset = client.reset_app(session, user.id)
    assert reset.session is not None and reset.challenge is not None
    assert not client.is_authenticated(session)  # all the user's sessions were signed out
    assert client.is_authenticated(reset.session)
    assert reset.challenge.is_activation
    assert not emulator.user_state(user.email)["linked"]
    assert_no_secret_in(repr(reset), reset.session.token, reset.challenge.confirm_key)

    setup = client.setup_app(reset.challenge)
    assert setup.manual_entry_key != old_secret
    linked_now, linked_session = client.validate_app(reset.challenge, code_for(emulator, setup.manual_entry_key))
    assert linked_now and client.is_authenticated(linked_session)
    assert emulator.user_state(user.email)["linked"]


def test_owner_resets_another_users_app(client: ds.Client, emulator: Emulator) -> None:
    admin = emulator.user("admin@example.com")
    linked = emulator.user("linked@example.com")
    outcome = client.login(admin.email, admin.password)
    assert isinstance(outcome, ds.Authenticated)
    reset = client.reset_app(outcome.session, linked.id)
    assert reset.session is None and reset.challenge is None
    assert not emulator.user_state(linked.email)["linked"]
    assert isinstance(client.login(linked.email, linked.password), ds.SetupRequired)


def test_one_client_several_users(emulator: Emulator) -> None:
    with ds.Client(emulator.url) as client:
        plain = emulator.user("plain@example.com")
        linked = emulator.user("linked@example.com")
        a = client.login(plain.email, plain.password)
        b, _ = sign_in_linked(client, emulator)
        assert isinstance(a, ds.Authenticated)
        assert a.session.token != b.token
        assert client.is_authenticated(a.session) and client.is_authenticated(b)
        client.logout(a.session)
        assert client.is_authenticated(b)
        assert client.backup_codes(b)
        assert linked.email
