// Time-based one-time passwords (RFC 6238) through otpauth: six digits, SHA-1, 30-second steps,
// the parameters every authenticator app reads from an otpauth:// QR code. A code is accepted
// one step early or late (clocks drift), and only for a step after the last one accepted, so a
// code seen over a shoulder or in a proxy log cannot be replayed.
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

const PERIOD = 30;
const DIGITS = 6;
const CODE = /^\d{6}$/;

/** A new 160-bit secret (RFC 4226 recommends at least 128), base32 as the apps expect. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

const totpOf = (secret: string, label = 'member', issuer = 'seedkeep'): TOTP =>
  new TOTP({ issuer, label, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: DIGITS, period: PERIOD });

/** The otpauth:// URI an authenticator app reads (from the QR code or typed by hand). */
export const totpUri = (secret: string, username: string, siteName: string): string => totpOf(secret, username, siteName).toString();

/** The URI as an inline SVG QR code, drawn on the server so the page needs no JavaScript. */
export const qrSvg = (uri: string): Promise<string> => QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });

/** Digits only: apps show "123 456", members paste it with the space. */
export const cleanCode = (raw: string): string => raw.replace(/[\s-]/g, '');

export const looksLikeTotp = (code: string): boolean => CODE.test(code);

/**
 * The time step the code belongs to, or null when it is wrong, outside the window, or not
 * later than `lastStep` (already used).
 */
export function matchTotp(secret: string, code: string, now: number, lastStep: number | null): number | null {
  if (!looksLikeTotp(code)) return null;
  const delta = totpOf(secret).validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now / 1000 / PERIOD) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** For specs and the CLI: the code an app would show at `now`. */
export const totpCodeAt = (secret: string, now: number): string => totpOf(secret).generate({ timestamp: now });
