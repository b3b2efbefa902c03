// Catalog keys the code builds from a list rather than names in full: each family here is
// the list it is built from, so the unused-text check still catches a leftover.
import { NAME_ISSUES } from '../../src/torrents/index.js';
import { REASON_CODES } from '../../src/tracker/core/reasons.js';
import { STATUSES } from '../../src/web/requests/queries.js';
import { CREDIT_KINDS } from '../../src/web/shop/credit-log.js';

export function dynamicKeyFamilies(): Array<Set<string>> {
  return [
    // src/tracker/reason-texts.ts reads `tracker.<code>` for every code the core names
    new Set(REASON_CODES.map((code) => `tracker.${code}`)),
    // src/web/upload/routes.ts: `upload.nameIssues.<issue>` for what nameIssue() finds
    new Set(NAME_ISSUES.map((issue) => `upload.nameIssues.${issue}`)),
    // src/web/requests/routes.ts: `requests.status.<status>` for each request status
    new Set(STATUSES.map((status) => `requests.status.${status}`)),
    // src/web/shop/history-rows.ts: `shop.history.kinds.<kind>` for each kind of credit movement
    new Set(CREDIT_KINDS.map((kind) => `shop.history.kinds.${kind}`)),
  ];
}
