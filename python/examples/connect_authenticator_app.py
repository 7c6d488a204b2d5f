"""Link an authenticator app to a DocSpace account, without a browser.

The seed sample this replaces called /settings/tfaapp/setup and /validate with an API key,
which the portal always refuses (403): those endpoints need the confirm context of a sign-in.
Here the sign-in's SetupRequired outcome carries that context, so:

  1. `login` -> SetupRequired (2FA applies, no app linked yet);
  2. `setup_app` -> the account label, the key to type in, a QR code (PNG) and its otpauth URI;
  3. the user scans the QR code; `validate_app` with the app's first code links it and signs in.

    python examples/connect_authenticator_app.py [--qr qr.png]          # local emulator
    DOCSPACE_URL=... DOCSPACE_USER=... DOCSPACE_PASSWORD=... python examples/connect_authenticator_app.py --qr qr.png

Against a real portal the script asks for the app's first code (after you scanned qr.png).
With --save-key FILE no app is involved (a service account): the key is written to FILE
(mode 600) and the first code is computed from it; keep FILE as DOCSPACE_TOTP_SECRET.
Against the emulator the code is always computed from the key.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import docspace_auth as ds
from _portal import mask, portal


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qr", type=Path, help="write the QR code (PNG) to this file")
    parser.add_argument("--save-key", type=Path, help="headless: write the key to this file and compute the code")
    args = parser.parse_args()

    with portal(emulator_account="setup@example.com") as p, ds.Client(p.url) as client:
        try:
            outcome = client.login(p.user, p.password)
            if isinstance(outcome, ds.CodeRequired):
                print("An authenticator app is already linked to this account; nothing to do.")
                print("(To replace it, sign in and use Client.reset_app, then link the new one.)")
                return 0
            if not isinstance(outcome, ds.SetupRequired):
                print(f"Two-factor authentication by app does not apply to this account ({type(outcome).__name__}).")
                return 0

            setup = client.setup_app(outcome)
            print(f"Account label:    {setup.account}")
            print(f"Key to type in:   {mask(setup.manual_entry_key)}")
            print(f"QR code:          {len(setup.qr_code_png)} bytes of PNG (otpauth URI {mask(setup.otpauth_uri, 15)})")
            if args.qr:
                args.qr.write_bytes(setup.qr_code_png)
                print(f"QR code written to {args.qr}: scan it with the authenticator app.")

            if args.save_key:
                fd = os.open(args.save_key, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as key_file:
                    key_file.write(setup.manual_entry_key + "\n")
                print(f"Key written to {args.save_key}; computing the first code from it.")
                code = ds.totp(setup.manual_entry_key)
            elif p.emulator:
                code = ds.totp(setup.manual_entry_key)
                print("Emulator: computing the app's first code from the key.")
            else:
                if not sys.stdin.isatty():
                    sys.exit("enter the app's first code in a terminal")
                code = input("First code shown by the app: ").strip()

            linked_now, session = client.validate_app(outcome, code)
            print("App linked." if linked_now else "The app was already linked; signed in.")
            codes = client.backup_codes(session)
            print(f"{len(codes)} backup codes were created (see manage_backup_codes.py to show or replace them).")
            client.logout(session)
        except ds.InvalidCodeError:
            print("The code was refused: check the app's clock and try the next code.", file=sys.stderr)
            return 1
        except ds.ConfirmContextError:
            print("The sign-in expired (confirm keys live one hour); run the script again.", file=sys.stderr)
            return 1
        except ds.DocSpaceError as error:
            print(f"Linking failed ({error.kind}): {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
