// The credit history's rows in the reader's language: what moved (`shop.history.kinds.<kind>`)
// and its detail. The log's note is written once in English when the credit moves, so a shop
// row names its item from the shop list where the item is still sold, and the notes that only
// repeat the kind are left out.
import type { FastifyRequest } from 'fastify';
import type { listCreditLog } from './queries.js';
import { itemText } from './item-text.js';

type CreditRows = Awaited<ReturnType<typeof listCreditLog>>;

/** kinds whose note only says again what the kind says */
const PLAIN_KINDS = new Set(['bounty_escrow', 'bonus_exchange']);

function detailOf(request: FastifyRequest, row: CreditRows[number]): string {
  if (row.kind === 'shop') {
    const item = request.server.settings.get('shopItems').find((i) => i.key === row.item);
    return item ? itemText(request, item) : row.note;
  }
  return PLAIN_KINDS.has(row.kind) ? '' : row.note;
}

export function historyRows(request: FastifyRequest, rows: CreditRows) {
  return rows.map((row) => ({ ...row, what: request.t(`shop.history.kinds.${row.kind}`), detail: detailOf(request, row) }));
}
