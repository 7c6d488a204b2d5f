"""Read and regenerate the backup codes of a DocSpace account with 2FA by app.

The seed sample this replaces used an API key and ignored every error. Here the script signs
in with the password and a TOTP code (DOCSPACE_TOTP_SECRET) to get a session, lists the codes
(spent ones included), and, with --regenerate, replaces them: the old codes stop working at
once, so the new ones must be stored right away. Codes are masked unless --reveal is given.

    python examples/manage_backup_codes.py                  # local emulator (regenerates)
    DOCSPACE_URL=... DOCSPACE_USER=... DOCSPACE_PASSWORD=... DOCSPACE_TOTP_SECRET=... \\
        python examples/manage_backup_codes.py [--regenerate] [--reveal]
"""

from __future__ import annotations

import argparse
import sys

import docspace_auth as ds
from _portal import mask, portal


def show(title: str, codes: list[ds.BackupCode], reveal: bool) -> None:
    unused = sum(not c.used for c in codes)
    print(f"{title}: {len(codes)} codes, {unused} unused")
    for number, code in enumerate(codes, 1):
        text = code.code if reveal else mask(code.code)
        print(f"  {number}. {text}  {'used' if code.used else 'unused'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true", help="replace the codes with a new set")
    parser.add_argument("--reveal", action="store_true", help="print the codes instead of masking them")
    args = parser.parse_args()

    with portal(emulator_account="linked@example.com") as p, ds.Client(p.url) as client:
        try:
            outcome = client.login(p.user, p.password)
            if isinstance(outcome, ds.Authenticated):
                session = outcome.session
            elif isinstance(outcome, ds.CodeRequired):
                if not p.totp_secret:
                    sys.exit("this account needs a code: set DOCSPACE_TOTP_SECRET (the app's base32 key)")
                session = client.login_with_code(p.user, p.password, ds.totp(p.totp_secret))
            else:
                print(f"Backup codes need a linked authenticator app ({type(outcome).__name__}).")
                return 1

            show("Current backup codes", client.backup_codes(session), args.reveal)
            if args.regenerate or p.emulator:
                new_codes = client.regenerate_backup_codes(session)
                show("New backup codes (the old ones no longer work)", new_codes, args.reveal)
                if not args.reveal:
                    print("Run with --reveal to print them; store them before you close this window.")
            client.logout(session)
        except ds.TfaNotAvailableError:
            print("This account has no authenticator app linked (or 2FA by app is off).", file=sys.stderr)
            return 1
        except ds.InvalidCodeError:
            print("The TOTP code was refused: check DOCSPACE_TOTP_SECRET and the clock.", file=sys.stderr)
            return 1
        except ds.DocSpaceError as error:
            print(f"Failed ({error.kind}): {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
