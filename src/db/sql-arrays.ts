// Parameters of the tracker's multi-row statements (unnest of arrays): each column of a batch
// as one Postgres array literal, and epoch-millisecond parameters as TIMESTAMP(3) values.
import type { TrafficRows, TransferRows } from '../tracker/core/ledger.js';

/** TIMESTAMP(3) columns hold UTC; parameters are epoch milliseconds. */
export const TS = (param: string) => `(to_timestamp(${param} / 1000.0) AT TIME ZONE 'UTC')`;

/**
 * A Postgres array literal (`{1,2,NULL}`) for one column of a batch, built with one join.
 * pg would otherwise quote and regex-escape every element of every column, and a flush sends
 * tens of thousands of them.
 * Only for numbers, booleans and texts the tracker's writes make themselves (hex, addresses, dates):
 * nothing that needs quoting. Member-supplied text (client, key) goes through pg.
 */
export function literal(values: readonly (number | bigint | boolean | string | null)[]): string {
  return '{' + values.map((v) => (v === null ? 'NULL' : v === true ? 't' : v === false ? 'f' : String(v))).join(',') + '}';
}

/** The same for rows [from, to) of a typed-array column: its own join, no array of strings. */
export function columnLiteral(column: Int32Array | Float64Array | BigInt64Array, from: number, to: number): string {
  return '{' + column.subarray(from, to).join(',') + '}';
}

/** A timestamp column where 0 means NULL. */
export function nullableLiteral(column: Float64Array, from: number, to: number): string {
  const parts: string[] = [];
  for (let row = from; row < to; row++) parts.push(column[row] === 0 ? 'NULL' : String(column[row]));
  return '{' + parts.join(',') + '}';
}

export function flagLiteral(rows: TransferRows, from: number, to: number, flag: (row: number) => boolean): string {
  const parts: string[] = [];
  for (let row = from; row < to; row++) parts.push(flag(row) ? 't' : 'f');
  return '{' + parts.join(',') + '}';
}

/** The four traffic columns of rows [from, to). */
export function trafficLiterals(rows: TrafficRows, from: number, to: number): string[] {
  return [rows.up, rows.down, rows.upActual, rows.downActual].map((column) => columnLiteral(column, from, to));
}
