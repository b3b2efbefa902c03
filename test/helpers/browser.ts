// Debian's Chromium for the browser specs, driven by playwright-core: where it is, where the
// screenshots go, and whether the specs run here (CI must have it; a machine without it skips).
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
