// Catalog keys the code builds from a list rather than names in full: each family here is
// the list it is built from, so the unused-text check still catches a leftover.
import { REASON_CODES } from '../../src/tracker/core/reasons.js';

export function dynamicKeyFamilies(): Array<Set<string>> {
  return [
    // src/tracker/reason-texts.ts reads `tracker.<code>` for every code the core names
    new Set(REASON_CODES.map((code) => `tracker.${code}`)),
  ];
}
