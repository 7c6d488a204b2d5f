// A typed use of docspace-auth, checked by `npx tsc --noEmit -p .` (not run by the tests).
// Signs in, finishing whatever second factor the portal asks for, then reads the backup codes.

import {
  Client, DocSpaceError, Session, Totp, secondsRemaining, totp, verifyTotp, version, type LoginResult, type TotpAlgorithm,
} from '..';

async function signIn(client: Client, user: string, password: string, totpSecret?: string): Promise<Session> {
  const result: LoginResult = await client.login(user, password);
  switch (result.kind) {
    case 'authenticated':
      return result.session;
    case 'code_required':
      if (!totpSecret) throw new Error(`${user} has an authenticator app: a TOTP secret is needed`);
      return client.loginWithCode(user, password, totp(totpSecret));
    case 'setup_required': {
      // Link an app: show the QR code (setup.qrCodePng) or the key, then confirm with a code.
      const setup = await client.setupApp(result.challenge);
      const { linkedNow, session } = await client.validateApp(result.challenge, totp(setup.manualEntryKey));
      console.log(`linked an app for ${setup.account}: ${linkedNow}`);
      return session;
    }
    case 'sms_required':
      throw new Error(`a code was texted to ${result.phoneNoise ?? 'a phone still to register'}`);
  }
}

async function main(): Promise<void> {
  const client = new Client(process.env.DOCSPACE_URL ?? 'http://127.0.0.1:8092', { timeoutMs: 10_000 });
  try {
    const session = await signIn(client, 'user@example.com', 'password', process.env.DOCSPACE_TOTP_SECRET);
    const codes = await client.backupCodes(session);
    console.log(`${codes.filter((c) => !c.used).length} unused backup codes`, codes);
    const policy = await client.tfaPolicy(session);
    console.log(`2FA method: ${policy.method}, app available: ${policy.app.available}`);
    await client.logout(session);
    session.dispose();
  } catch (error) {
    if (!(error instanceof DocSpaceError)) throw error;
    switch (error.kind) {
      case 'rate_limited':
        console.error(`rate limited; retry in ${error.retryAfter ?? 60} s`);
        break;
      case 'network':
      case 'timeout':
        console.error(`${error.message}${error.retryable ? ' (try again later)' : ''}`);
        break;
      case 'invalid_credentials':
      case 'invalid_code':
        console.error(`refused (HTTP ${error.status}): ${error.serverMessage ?? error.message}`);
        break;
      default:
        console.error(`${error.kind}: ${error.message}`);
    }
  } finally {
    client.close();
  }

  const generator: Totp = Totp.fromUri('otpauth://totp/ACME:ann@acme.test?secret=LJVTCTSWGJYEOYSV&issuer=ACME');
  const code: string = generator.codeAt(new Date('2026-01-01T00:00:00Z'));
  const offset: number | null = verifyTotp('LJVTCTSWGJYEOYSV', code, { at: 1767225600, window: 1 });
  const algorithm: TotpAlgorithm = generator.algorithm;
  const left: number = secondsRemaining({ period: generator.period });
  console.log(version, code, offset, algorithm, generator.digits, left, generator.secondsRemaining(),
    generator.toUri({ account: 'ann@acme.test' }).length);
  generator.dispose();
}

void main();
