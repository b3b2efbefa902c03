// The kinds of setting (src/settings.ts): how each reads its stored JSON, what makes a value
// valid (a Problem: a catalog key and its values, shown beside the admin form's field in the
// reader's language, docs/i18n.md), and how the form's text becomes a value.
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

/** What is wrong with a value: a catalog key (locales/<code>/admin.json) and its values. */
export interface Problem {
  key: string;
  params?: Readonly<Record<string, unknown>>;
}
export const problemOf = (key: string, params?: Problem['params']): Problem => ({ key, params });

export type Parsed<T> = { value: T } | { problem: Problem };
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
  problem(value: T, values: Values): Problem | null;
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

export function numberProblem(value: number, min: number, max: number, whole: boolean): Problem | null {
  if (!Number.isFinite(value)) return problemOf('admin.settings.problems.number');
  if (whole && !Number.isInteger(value)) return problemOf('admin.settings.problems.whole');
  if (value < min || value > max) return problemOf('admin.settings.problems.range', { min, max });
  return null;
}

export function number(options: Common<number> & {
  min: number;
  max: number;
  whole?: boolean;
  /** the form takes digits only (no sign or decimals) */
  digits?: boolean;
  /** one message for every problem */
  message?: Problem;
  /** stored values above this read as this */
  clamp?: number;
  /** a check against the other settings */
  also?: (value: number, values: Values) => Problem | null;
}): Setting<number> {
  const { min, max, whole = false, digits = false, message, clamp = Infinity, also } = options;
  const problem = (value: number, values: Values): Problem | null => {
    const found = numberProblem(value, min, max, whole) ?? also?.(value, values) ?? null;
    return found && (message ?? found);
  };
  return {
    ...options,
    decode: (raw) => (typeof raw === 'number' ? Math.min(raw, clamp) : undefined),
    encode: (value) => value,
    problem,
    parse: (text) => {
      if (!(digits ? DIGITS : NUMBER).test(text)) return { problem: message ?? problemOf(digits ? 'admin.settings.problems.whole' : 'admin.settings.problems.number') };
      return { value: Number(text) };
    },
    format: (value) => String(value),
  };
}

export function text(options: Common<string> & { pattern: RegExp; message: Problem }): Setting<string> {
  return {
    ...options,
    decode: (raw) => (typeof raw === 'string' && raw.length > 0 ? raw : undefined),
    encode: (value) => value,
    problem: (value) => (options.pattern.test(value) ? null : options.message),
    parse: (value) => ({ value }),
    format: (value) => value,
  };
}

export function choice<T extends string>(options: Common<T> & { options: readonly T[]; message: Problem }): Setting<T> {
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
    problem: (value) => (value === null || !Number.isNaN(value.getTime()) ? null : problemOf('admin.settings.problems.date')),
  };
}

const MAX_PREFIXES = 200;
const PREFIX = /^[\x21-\x7e]{1,20}$/;
const notAPrefix = (bad: string): Problem => problemOf('admin.settings.problems.notPrefix', { prefix: bad.slice(0, 30) });
const tooMany = (): Problem => problemOf('admin.settings.problems.tooManyPrefixes', { max: MAX_PREFIXES });

/** peer_id prefixes (BEP 20 client ids), one a line on the form. */
export function prefixes(options: Common<string[]>): Setting<string[]> {
  return {
    ...options,
    decode: (raw) => (Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? [...(raw as string[])] : undefined),
    encode: (value) => value,
    problem: (value) => {
      const bad = value.find((prefix) => !PREFIX.test(prefix));
      if (bad !== undefined) return notAPrefix(bad);
      return value.length > MAX_PREFIXES ? tooMany() : null;
    },
    parse: (raw) => {
      const lines = raw.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      if (lines.length > MAX_PREFIXES) return { problem: tooMany() };
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

/** A policy check's answer: a catalog key and its values, as every setting's problem is. */
const asProblem = (found: Problem | null): Problem | null => (found === null ? null : problemOf(found.key, found.params));

/** The required-ratio table; the form lays it out as rows of three numbers. */
export function table(options: Common<RatioBand[]> & { problem: (bands: RatioBand[]) => Problem | null }): Setting<RatioBand[]> {
  return {
    ...options,
    decode: (raw) => (Array.isArray(raw) && raw.every(isBand) ? raw.map(({ fromGiB, max, min }) => ({ fromGiB, max, min })) : undefined),
    encode: (value) => value,
    problem: (value) => asProblem(options.problem(value)),
    input: options.input ?? { fieldset: 'ratio', label: 'Required ratio table', control: 'table' },
  };
}

/** A list of records edited on a page of its own (the class ladder, the shop's items). */
export function list<T>(options: Common<T[]> & { decode: (raw: unknown) => T[] | undefined; problem: (items: T[]) => Problem | null }): Setting<T[]> {
  return { ...options, encode: (value) => value, problem: (value) => asProblem(options.problem(value)) };
}
