// Reading the staff form for a rules, FAQ or guide section: page, title, Markdown body,
// position, the reason every staff change carries, and for a translation its language and the
// section it translates. Problems come back per field, for the form to show.
import { requireReason, text, type FormBody } from '../admin/form.js';
import { AppError } from '../../errors.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
import type { Translate } from '../../i18n/index.js';
import { formatNumber } from '../view-helpers.js';
import { SECTION_PAGES, type SectionPage } from './section-queries.js';

export const MAX_TITLE = 200;
/** a long rules text is a few thousand characters; this bounds what one page view renders */
export const MAX_BODY = 20_000;
export const MAX_POSITION = 1000;

export interface SectionValues {
  page: SectionPage;
  title: string;
  body: string;
  position: number;
  /** a translation: its language and the section it translates (null: a section of its own) */
  translation: { locale: Locale; of: number } | null;
}

export interface ParsedSection {
  /** what was typed, to put back into the form */
  form: Record<string, string>;
  errors: Record<string, string>;
  values: SectionValues | null;
  reason: string;
}

/** Line endings as the browser sent them would count twice against the limit. */
const rawText = (body: FormBody, name: string): string => (typeof body[name] === 'string' ? (body[name] as string).replace(/\r\n/g, '\n') : '');

/** The problems beside their fields, said by `t` in the staff member's language. */
function problems(form: Record<string, string>, t: Translate, locale: Locale): Record<string, string> {
  const errors: Record<string, string> = {};
  const n = (value: number) => formatNumber(value, locale);
  if (!SECTION_PAGES.includes(form.page as SectionPage)) errors.page = t('admin.rules.errors.page');
  if (form.translationOf !== '' && !/^\d{1,9}$/.test(form.translationOf)) errors.translationOf = t('admin.rules.errors.translationOf');
  else if (form.translationOf !== '' && !isLocale(form.locale)) errors.locale = t('admin.rules.errors.locale');
  if (form.title.length === 0) errors.title = t('admin.rules.errors.title');
  else if (form.title.length > MAX_TITLE) errors.title = t('admin.rules.errors.titleLong', { max: MAX_TITLE });
  if (form.body.trim().length === 0) errors.body = t('admin.rules.errors.body');
  else if (form.body.length > MAX_BODY) errors.body = t('admin.rules.errors.bodyLong', { max: n(MAX_BODY), length: n(form.body.length) });
  if (!/^\d{1,4}$/.test(form.position) || Number(form.position) > MAX_POSITION) errors.position = t('admin.rules.errors.position', { max: MAX_POSITION });
  return errors;
}

export function parseSectionForm(body: FormBody | undefined, t: Translate, locale: Locale): ParsedSection {
  const input = body ?? {};
  const form = {
    page: text(input, 'page'), title: text(input, 'title'), body: rawText(input, 'body'), position: text(input, 'position') || '0', reason: text(input, 'reason'),
    locale: text(input, 'locale'), translationOf: text(input, 'translationOf'),
  };
  const errors = problems(form, t, locale);
  let reason = '';
  try {
    reason = requireReason(input, 'reason');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    errors.reason = t(error.message, error.params);
  }
  const valid = Object.keys(errors).length === 0;
  const translation = form.translationOf === '' ? null : { locale: form.locale as Locale, of: Number(form.translationOf) };
  const values = valid ? { page: form.page as SectionPage, title: form.title, body: form.body, position: Number(form.position), translation } : null;
  return { form, errors, values, reason };
}
