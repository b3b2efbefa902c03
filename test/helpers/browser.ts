// Debian's Chromium for the browser specs, driven by playwright-core: where it is, where the
// screenshots go, and whether the specs run here (CI must have it; a machine without it skips).
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from './app.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = 'test-artifacts/screenshots';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: CI must install chromium for the browser tests`);
export const skip = haveChromium ? false : `${CHROMIUM} is not installed (apt-get install -y chromium); skipping locally`;

/** Headless, and without the background requests this offline machine would refuse. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: 30_000,
  });
}

/** The real app on a free loopback port, for a browser; and the screenshots folder made. */
export async function serveTestApp(options: Parameters<typeof buildTestApp>[0] = {}): Promise<{ t: TestApp; base: string }> {
  mkdirSync(SHOTS, { recursive: true });
  const t = await buildTestApp(options);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return { t, base: `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}` };
}
