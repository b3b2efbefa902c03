// The kinds of setting (src/settings.ts): how each reads its stored JSON, what makes a value
// valid (the message is the one shown beside the admin form's field), and how the form's text
// becomes a value.
import type { Config } from './config.js';

/** The environment values some settings start from. */
export type SettingsConfig = Pick<Config, 'siteName' | 'announceInterval' | 'minInterval' | 'newMemberCredit'>;
import type { RatioBand } from './policy/ratio-table.js';

/** The admin log and the save message name changes by group. */
export type SettingGroup = 'site' | 'policy' | 'tracker';
/** Where a setting sits on /admin/settings. */
export type Fieldset = 'site' | 'ratio' | 'watch' | 'hnr' | 'bonus' | 'economy' | 'tracker';

export interface SettingInput {
  fieldset: Fieldset;
  label: string;
  hint?: string;
  /** text (default): one text field drawn from this entry; the others are laid out by the page */
  control?: 'text' | 'select' | 'lines' | 'table';
}

export type Parsed<T> = { value: T } | { problem: string };
type Values = Readonly<Record<string, unknown>>;

export interface Setting<T> {
  /** key of its row in the `settings` table */
  row: string;
  /** field of the row's JSON object: undefined = the setting's own name, null = the whole row */
  field?: string | null;
  group: SettingGroup;
  /** the value until one is saved; `earlier` holds the settings declared before it */
  fallback(config: SettingsConfig, earlier: Values): T;
  /** stored JSON of the right type -> value (checked by `problem` next), else undefined */
  decode(raw: unknown): T | undefined;
  encode(value: T): unknown;
  /** what is wrong with a value, or null; `values` are all the settings it would sit with */
  problem(value: T, values: Values): string | null;
  input?: SettingInput;
  /** the form's trimmed text -> value (controls other than `table`) */
  parse?(text: string): Parsed<T>;
  format?(value: T): string;
}

interface Common<T> {
  row: string;
  field?: string | null;
  group: SettingGroup;
  fallback: Setting<T>['fallback'];
  input?: SettingInput;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const DIGITS = /^\d+$/;

export function numberProblem(value: number, min: number, max: number, whole: boolean): string | null {
  if (!Number.isFinite(value)) return 'Enter a number.';
  if (whole && !Number.isInteger(value)) return 'Enter a whole number.';
  if (value < min || value > max) return `Enter a number from ${min} to ${max}.`;
  return null;
}

export function number(options: Common<number> & {
  min: number;
  max: number;
  whole?: boolean;
  /** the form takes digits only (no sign or decimals) */
  digits?: boolean;
  /** one message for every problem */
  message?: string;
  /** stored values above this read as this */
  clamp?: number;
  /** a check against the other settings */
  also?: (value: number, values: Values) => string | null;
}): Setting<number> {
  const { min, max, whole = false, digits = false, message, clamp = Infinity, also } = options;
  const problem = (value: number, values: Values): string | null => {
    const found = numberProblem(value, min, max, whole) ?? also?.(value, values) ?? null;
    return found && (message ?? found);
  };
  return {
    ...options,
    decode: (raw) => (typeof raw === 'number' ? Math.min(raw, clamp) : undefined),
    encode: (value) => value,
    problem,
    parse: (text) => {
      if (!(digits ? DIGITS : NUMBER).test(text)) return { problem: message ?? (digits ? 'Enter a whole number.' : 'Enter a number.') };
      return { value: Number(text) };
    },
    format: (value) => String(value),
  };
}

export function text(options: Common<string> & { pattern: RegExp; message: string }): Setting<string> {
  return {
    ...options,
    decode: (raw) => (typeof raw === 'string' && raw.length > 0 ? raw : undefined),
    encode: (value) => value,
    problem: (value) => (options.pattern.test(value) ? null : options.message),
    parse: (value) => ({ value }),
    format: (value) => value,
  };
}

export function choice<T extends string>(options: Common<T> & { options: readonly T[]; message: string }): Setting<T> {
  const known = (raw: unknown): raw is T => options.options.includes(raw as T);
  return {
    ...options,
    decode: (raw) => (known(raw) ? raw : undefined),
    encode: (value) => value,
    problem: (value) => (known(value) ? null : options.message),
    parse: (value) => (known(value) ? { value } : { problem: options.message }),
    format: (value) => value,
  };
}

export function flag(options: Common<boolean>): Setting<boolean> {
  return { ...options, decode: (raw) => (typeof raw === 'boolean' ? raw : undefined), encode: (value) => value, problem: () => null };
}

/** A point in time or none, stored as an ISO string or null. */
export function date(options: Common<Date | null>): Setting<Date | null> {
  return {
    ...options,
    decode: (raw) => {
      if (raw === null) return null;
      const at = typeof raw === 'string' ? new Date(raw) : null;
      return at && !Number.isNaN(at.getTime()) ? at : undefined;
    },
    encode: (value) => (value ? value.toISOString() : null),
    problem: (value) => (value === null || !Number.isNaN(value.getTime()) ? null : 'Enter a date.'),
  };
}

const MAX_PREFIXES = 200;
const PREFIX = /^[\x21-\x7e]{1,20}$/;
const notAPrefix = (bad: string): string => `"${bad.slice(0, 30)}" is not a peer_id prefix (1-20 printable characters, no spaces).`;

/** peer_id prefixes (BEP 20 client ids), one a line on the form. */
export function prefixes(options: Common<string[]>): Setting<string[]> {
  return {
    ...options,
    decode: (raw) => (Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? [...(raw as string[])] : undefined),
    encode: (value) => value,
    problem: (value) => {
      const bad = value.find((prefix) => !PREFIX.test(prefix));
      if (bad !== undefined) return notAPrefix(bad);
      return value.length > MAX_PREFIXES ? `At most ${MAX_PREFIXES} prefixes.` : null;
    },
    parse: (raw) => {
      const lines = raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      if (lines.length > MAX_PREFIXES) return { problem: `At most ${MAX_PREFIXES} prefixes.` };
      const bad = lines.find((line) => !PREFIX.test(line));
      return bad === undefined ? { value: [...new Set(lines)] } : { problem: notAPrefix(bad) };
    },
    format: (value) => value.join('\n'),
  };
}

const isBand = (value: unknown): value is RatioBand => {
  const band = value as RatioBand;
  return typeof band === 'object' && band !== null && [band.fromGiB, band.max, band.min].every((n) => typeof n === 'number');
};

/** The required-ratio table; the form lays it out as rows of three numbers. */
export function table(options: Common<RatioBand[]> & { problem: (bands: RatioBand[]) => string | null }): Setting<RatioBand[]> {
  return {
    ...options,
    decode: (raw) => (Array.isArray(raw) && raw.every(isBand) ? raw.map(({ fromGiB, max, min }) => ({ fromGiB, max, min })) : undefined),
    encode: (value) => value,
    problem: (value) => options.problem(value),
    input: options.input ?? { fieldset: 'ratio', label: 'Required ratio table', control: 'table' },
  };
}

/** A list of records edited on a page of its own (the class ladder, the shop's items). */
export function list<T>(options: Common<T[]> & { decode: (raw: unknown) => T[] | undefined; problem: (items: T[]) => string | null }): Setting<T[]> {
  return { ...options, encode: (value) => value, problem: (value) => options.problem(value) };
}
