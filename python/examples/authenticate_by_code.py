"""Sign in to DocSpace with a password and, if 2FA asks for it, a one-time code.

The seed sample this replaces sent the code with a made-up `asc_auth_key` header and treated
any 200 as success. Here the library posts the credentials again with the code (as the portal
requires), returns a typed outcome, and raises a typed error for every failure.

    python examples/authenticate_by_code.py                  # against the local emulator
    DOCSPACE_URL=https://portal.example.com DOCSPACE_USER=me@example.com \\
    DOCSPACE_PASSWORD=... DOCSPACE_TOTP_SECRET=... python examples/authenticate_by_code.py

Without DOCSPACE_TOTP_SECRET the code is asked for on the terminal (a TOTP code from your
authenticator app, or one of your backup codes).
"""

from __future__ import annotations

import sys
import time

import docspace_auth as ds
from _portal import Portal, mask, portal


def ask_code(p: Portal, prompt: str) -> str:
    if p.totp_secret:
        # A code a few seconds before the step changes may expire in flight: wait for the next.
        if ds.seconds_remaining() < 3:
            time.sleep(ds.seconds_remaining())
        return ds.totp(p.totp_secret)
    if not sys.stdin.isatty():
        sys.exit("a code is needed: set DOCSPACE_TOTP_SECRET or run in a terminal")
    return input(prompt).strip()


def main() -> int:
    with portal(emulator_account="linked@example.com") as p, ds.Client(p.url, user_agent="docspace-example/1") as client:
        try:
            outcome = client.login(p.user, p.password)
            match outcome:
                case ds.Authenticated(session=session):
                    print("Signed in; this account has no second factor.")
                case ds.CodeRequired():
                    print("Two-factor authentication: a code from the authenticator app is needed.")
                    session = client.login_with_code(p.user, p.password, ask_code(p, "Code (or backup code): "))
                    print("Signed in with the code.")
                case ds.SetupRequired(secret=secret):
                    # 2FA applies but no app is linked: the first accepted code links this key.
                    print(f"No authenticator app linked yet; the portal issued the key {mask(secret)}.")
                    if not p.emulator:
                        print("Link an app first: run connect_authenticator_app.py.", file=sys.stderr)
                        return 1
                    print("Emulator: linking it by signing in with a code computed from the key.")
                    session = client.login_with_code(p.user, p.password, ds.totp(secret))
                    print("App linked and signed in.")
                case ds.SmsRequired(phone_noise=phone):
                    print(f"A code was texted to {phone}.")
                    session = client.login_with_code(p.user, p.password, ask_code(p, "SMS code: "))
                    print("Signed in with the SMS code.")
            print(f"Session: {session!r}")
            print(f"The portal accepts the session: {client.is_authenticated(session)}")
            client.logout(session)
            print(f"Signed out; the token is revoked: {not client.is_authenticated(session)}")
        except ds.InvalidCredentialsError:
            print("Wrong e-mail or password.", file=sys.stderr)
            return 1
        except ds.InvalidCodeError:
            print("The code was refused (wrong, expired or already used).", file=sys.stderr)
            return 1
        except (ds.LockedOutError, ds.RateLimitedError) as error:
            wait = f" Try again in {error.retry_after:.0f} s." if error.retry_after is not None else ""
            print(f"Too many attempts: {error}.{wait}", file=sys.stderr)
            return 1
        except ds.DocSpaceError as error:
            print(f"Sign-in failed ({error.kind}): {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
