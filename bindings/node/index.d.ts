// Type declarations of docspace-auth (ONLYOFFICE DocSpace sign-in and 2FA for Node.js).
//
// Rule for argument errors: methods that return a Promise report every failure through it
// (TypeError / RangeError for wrong arguments included); synchronous functions throw.

/// <reference types="node" />

/** The core's error kinds, the same strings in every language binding. */
export type ErrorKind =
  | 'invalid_argument'
  | 'network'
  | 'timeout'
  | 'tls'
  | 'invalid_credentials'
  | 'invalid_code'
  | 'locked_out'
  | 'rate_limited'
  | 'tfa_not_available'
  | 'confirm_context'
  | 'access_denied'
  | 'session_invalid'
  | 'server_error'
  | 'unexpected_response'
  /** A bug in the library (a caught panic): please report it. */
  | 'internal';

/** A failure reported by docspace-auth. The message never contains a secret. */
export class DocSpaceError extends Error {
  constructor(
    message: string,
    details: {
      kind: ErrorKind;
      status?: number | null;
      serverMessage?: string | null;
      retryAfter?: number | null;
      /** Default: what the library says for `kind`. */
      retryable?: boolean;
    },
  );
  readonly name: 'DocSpaceError';
  /** The core's error kind, e.g. `'invalid_code'`. */
  kind: ErrorKind;
  /** HTTP status of the portal's answer, or null when there was none. */
  status: number | null;
  /** The portal's own `error.message`, when its answer had one. */
  serverMessage: string | null;
  /** Seconds the portal asked to wait (`Retry-After`), or null. */
  retryAfter: number | null;
  /**
   * Whether repeating the same call later, unchanged, may succeed (network, timeout, rate
   * limit, server error, lockout), as the library says. Advice only: never resend a code blindly.
   */
  retryable: boolean;
}

/** An object that owns native memory: free it with `dispose()` (or `using`), else the GC does. */
declare abstract class NativeObject {
  /** Frees the native handle now (after calls still running with it). Idempotent. */
  dispose(): void;
  /** Whether `dispose()` was called. */
  readonly disposed: boolean;
  [Symbol.dispose](): void;
}

/** A signed-in session: a login token or a personal API key. Printing it masks the token. */
export class Session extends NativeObject {
  private constructor();
  /** A session from a login token obtained earlier. */
  static fromToken(token: string): Session;
  /** A session from a personal access token / API key (`sk-…`). */
  static fromApiKey(key: string): Session;
  /** The token or key. A secret: never log it. */
  readonly token: string;
  /** Expiry the portal reported (ISO 8601), or null. */
  readonly expires: string | null;
  /** The user's id, when the flow that produced the session learnt it. */
  readonly userId: string | null;
  toJSON(): { token: '***'; expires: string | null; userId: string | null };
}

/** A pending app-2FA sign-in (the portal's confirm context). Printing it masks the secret. */
export class Challenge extends NativeObject {
  private constructor();
  /** `'TfaActivation'` (link an app) or `'TfaAuth'` (enter a code). */
  readonly confirmType: 'TfaActivation' | 'TfaAuth';
  readonly userId: string;
  /** The user name the sign-in was made with (empty from `confirmContext()`). */
  readonly userName: string;
  readonly confirmUrl: string;
  /** The TOTP secret (base32) while no app is linked, else null. */
  readonly secret: string | null;
  /** `otpauth://totp/…` URI of the secret, else null. */
  readonly otpauthUri: string | null;
  toJSON(): object;
}

/** What `client.login()` resolves to. */
export type LoginResult =
  | { kind: 'authenticated'; session: Session }
  | { kind: 'code_required'; challenge: Challenge }
  | { kind: 'setup_required'; challenge: Challenge; readonly secret: string; readonly otpauthUri: string }
  | { kind: 'sms_required'; phoneNoise: string | null; expires: string | null };

/** The authenticator-app setup payload. Printing it masks the key and the URI. */
export interface AppSetup {
  /** The account label (the user's e-mail). */
  account: string;
  /** The base32 secret to type into an authenticator app. */
  readonly manualEntryKey: string;
  /** The QR code, PNG bytes. */
  qrCodePng: Buffer;
  /** `otpauth://totp/…` for the same secret. */
  readonly otpauthUri: string;
}

/** One backup code (6 characters, case-sensitive). Printing it masks the code. */
export interface BackupCode {
  readonly code: string;
  /** Whether it was already spent (single use). */
  used: boolean;
}

export type TfaMethod = 'none' | 'sms' | 'app';

/** One method's part of the 2FA policy. */
export interface TfaMethodSettings {
  /** The method can be used on this portal. */
  available: boolean;
  trustedIps: string[];
  mandatoryUsers: string[];
  mandatoryGroups: string[];
}

/** The portal's 2FA policy. */
export interface TfaPolicy {
  /** The method that is on. */
  method: TfaMethod;
  sms: TfaMethodSettings;
  app: TfaMethodSettings;
}

/** A change to the portal's 2FA policy. */
export interface TfaPolicyUpdate {
  method: TfaMethod;
  trustedIps?: string[];
  mandatoryUsers?: string[];
  mandatoryGroups?: string[];
}

export interface ClientOptions {
  /** Total time of one request, connect included, in ms (default 30000). */
  timeoutMs?: number;
  /** Time to connect, TLS included, in ms (default 10000). */
  connectTimeoutMs?: number;
  /** PEM file of extra CA certificates to trust. */
  caFile?: string;
  /** PEM text of extra CA certificates to trust. */
  caPem?: string;
  /** Allow plain `http://` to non-loopback hosts (off: passwords would cross the network unencrypted). */
  allowInsecureHttp?: boolean;
  /** Product token put before `docspace-auth/<version>` in the User-Agent. */
  userAgent?: string;
  /** Largest answer accepted, in bytes (default 1 MiB). */
  maxResponseBytes?: number;
  /** Ignore the `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` variables. */
  noProxy?: boolean;
}

/** A client of one DocSpace portal. Every network call returns a Promise and runs off the event loop. */
export class Client extends NativeObject {
  /** @throws {DocSpaceError} `invalid_argument` for an unusable URL, CA or option value (the message says which). */
  constructor(url: string, options?: ClientOptions);
  /** The portal's base URL, normalised (ends with `/`). */
  readonly baseUrl: string;
  login(user: string, password: string): Promise<LoginResult>;
  loginWithCode(user: string, password: string, code: string): Promise<Session>;
  setupApp(challenge: Challenge): Promise<AppSetup>;
  validateApp(challenge: Challenge, code: string): Promise<{ linkedNow: boolean; session: Session }>;
  backupCodes(session: Session): Promise<BackupCode[]>;
  /** The old codes stop working at once; every call issues another set. */
  regenerateBackupCodes(session: Session): Promise<BackupCode[]>;
  logout(session: Session): Promise<void>;
  isAuthenticated(session: Session): Promise<boolean>;
  tfaPolicy(session: Session): Promise<TfaPolicy>;
  /** Resolves to true when a method is now on. Switching one on signs every user out. */
  setTfaPolicy(session: Session, policy: TfaPolicyUpdate): Promise<boolean>;
  confirmContext(session: Session): Promise<Challenge | null>;
  resetApp(session: Session, userId: string): Promise<{ session: Session | null; challenge: Challenge | null }>;
  /** Frees the client (after the calls still running). */
  close(): void;
}

/** A time: Unix seconds (fractions dropped) or a Date. */
export type Time = number | Date;

/** The TOTP code of a base32 secret with DocSpace's parameters (SHA1, 6 digits, 30 s). */
export function totp(secret: string, options?: { at?: Time }): string;

/**
 * Checks a code (DocSpace's parameters), accepting `window` steps before or after (default 1).
 * Returns the step offset of the match (0 now, -1 the previous step …), or null.
 */
export function verifyTotp(secret: string, code: string, options?: { window?: number; at?: Time }): number | null;

/**
 * Seconds the code of `at` (default now) stays current for any generator with this period
 * (default 30, DocSpace's): 1 to the period. No secret needed.
 */
export function secondsRemaining(options?: { at?: Time; period?: number }): number;

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

/** A TOTP generator with any parameters. Printing it never shows the secret. */
export class Totp extends NativeObject {
  constructor(secret: string, options?: { algorithm?: TotpAlgorithm; digits?: number; period?: number });
  /** Parses an `otpauth://totp/…` URI; the result remembers its issuer and account. */
  static fromUri(uri: string): Totp;
  /** The issuer of the parsed URI, else null. */
  readonly issuer: string | null;
  /** The account of the parsed URI, else null. */
  readonly account: string | null;
  /** The HMAC hash. */
  readonly algorithm: TotpAlgorithm;
  /** The code length: 6, 7 or 8. */
  readonly digits: number;
  /** The time step in seconds. */
  readonly period: number;
  codeAt(at: Time): string;
  codeNow(): string;
  verify(code: string, options?: { window?: number; at?: Time }): number | null;
  /** Seconds the code of `at` (default now) stays current: 1 to the period. */
  secondsRemaining(options?: { at?: Time }): number;
  /** An `otpauth://totp/…` URI. Contains the secret. Issuer and account default to the parsed URI's. */
  toUri(options?: { issuer?: string | null; account?: string }): string;
  toJSON(): { issuer: string | null; account: string | null };
}

/** The library's version, e.g. `'0.1.0'`. */
export const version: string;

// Only the declarations above marked `export` are the package's.
export {};
