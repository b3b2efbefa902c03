// The admin settings form, drawn from the settings' entries (src/settings.ts): every entry with
// an `input` is a field, parsed and checked with its own message; the ratio table is rows of
// three numbers. Pure: no database.
import type { RatioBand } from '../../policy/ratio-table.js';
import { SETTINGS, type SettingKey, type SettingValues } from '../../settings.js';
import { problemOf, type Fieldset, type Problem, type Setting, type SettingGroup } from '../../settings-kinds.js';
import { text, type FormBody } from './form.js';

export const TABLE_ROWS = 12;

/** The settings on the form, by the group the log and the save message name them by. */
export type FormValues = Partial<SettingValues>;

export interface ParsedSettings {
  values: FormValues | null;
  /** what is wrong, by field: catalog keys with their values, said by the page */
  errors: Record<string, Problem>;
  /** what was typed, to put back in the form */
  form: Record<string, string>;
}

const NUMBER = /^-?\d+(\.\d+)?$/;
const setting = (key: SettingKey): Setting<unknown> => SETTINGS[key] as unknown as Setting<unknown>;
const FORM_KEYS = (Object.keys(SETTINGS) as SettingKey[]).filter((key) => setting(key).input !== undefined);
const isTable = (key: SettingKey): boolean => setting(key).input?.control === 'table';

function parseTable(body: FormBody, form: Record<string, string>, errors: Record<string, Problem>): RatioBand[] {
  const bands: RatioBand[] = [];
  for (let i = 0; i < TABLE_ROWS; i++) {
    const cells = ['from', 'max', 'min'].map((c) => (form[`band_${c}_${i}`] = text(body, `band_${c}_${i}`)));
    if (cells.every((c) => c === '')) continue;
    if (!cells.every((c) => NUMBER.test(c))) {
      errors.ratioTable = problemOf('admin.settings.problems.tableRow', { row: i + 1 });
      continue;
    }
    bands.push({ fromGiB: Number(cells[0]), max: Number(cells[1]), min: Number(cells[2]) });
  }
  return bands;
}

export function parseSettingsForm(body: FormBody | undefined): ParsedSettings {
  const input = body ?? {};
  const form: Record<string, string> = {};
  const errors: Record<string, Problem> = {};
  const values: Record<string, unknown> = {};
  for (const key of FORM_KEYS) {
    if (isTable(key)) {
      values[key] = parseTable(input, form, errors);
      continue;
    }
    const parsed = setting(key).parse!((form[key] = text(input, key)));
    if ('problem' in parsed) errors[key] = parsed.problem;
    else values[key] = parsed.value;
  }
  // each value that parsed is checked against the others (the minimum interval against the announce interval)
  for (const key of FORM_KEYS) {
    if (errors[key] || !(key in values)) continue;
    const problem = setting(key).problem(values[key], values);
    if (problem) errors[key] = problem;
  }
  return { values: Object.keys(errors).length === 0 ? (values as FormValues) : null, errors, form };
}

/** Current settings as form values (the inverse of parseSettingsForm). */
export function settingsToForm(values: FormValues): Record<string, string> {
  const form: Record<string, string> = {};
  for (const key of FORM_KEYS) {
    if (!isTable(key) && values[key] !== undefined) form[key] = setting(key).format!(values[key]);
  }
  (values.ratioTable ?? []).forEach((band, i) => {
    form[`band_from_${i}`] = String(band.fromGiB);
    form[`band_max_${i}`] = String(band.max);
    form[`band_min_${i}`] = String(band.min);
  });
  return form;
}

/** The form's settings by group ('site', 'policy', 'tracker'), for the change log. */
export function formGroups(values: FormValues): Record<SettingGroup, FormValues> {
  const groups: Record<SettingGroup, Record<string, unknown>> = { site: {}, policy: {}, tracker: {} };
  for (const key of FORM_KEYS) groups[setting(key).group][key] = values[key];
  return groups as Record<SettingGroup, FormValues>;
}

export interface FieldView {
  id: string;
  label: string;
  hint?: string;
  value: string;
  error?: string;
}

/** The catalog keys of a field's label and hint: `admin.settings.fields.<setting>.label` / `.hint`. */
export const fieldTextKeys = (): string[] =>
  FORM_KEYS.flatMap((key) => [`admin.settings.fields.${key}.label`, ...(setting(key).input!.hint ? [`admin.settings.fields.${key}.hint`] : [])]);

/**
 * The plain text fields of each fieldset, in the entries' order, in the reader's language
 * (`say` translates a key); the page lays out the rest. `errors` are already said.
 */
export function textFields(form: Record<string, string>, errors: Record<string, string>, say: (key: string) => string): Record<Fieldset, FieldView[]> {
  const fields: Record<Fieldset, FieldView[]> = { site: [], ratio: [], watch: [], hnr: [], bonus: [], economy: [], tracker: [] };
  for (const key of FORM_KEYS) {
    const { fieldset, hint, control = 'text' } = setting(key).input!;
    const label = say(`admin.settings.fields.${key}.label`);
    if (control === 'text') fields[fieldset].push({ id: key, label, hint: hint && say(`admin.settings.fields.${key}.hint`), value: form[key] ?? '', error: errors[key] });
  }
  return fields;
}
