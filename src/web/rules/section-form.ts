// Reading the staff form for a rules, FAQ or guide section: page, title, Markdown body,
// position, the reason every staff change carries, and for a translation its language and the
// section it translates. Problems come back per field, for the form to show.
import { requireReason, text, type FormBody } from '../admin/form.js';
import { AppError } from '../../errors.js';
import { isLocale, type Locale } from '../../i18n/locales.js';
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

function problems(form: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!SECTION_PAGES.includes(form.page as SectionPage)) errors.page = 'Choose the rules page, the FAQ or the guide.';
  if (form.translationOf !== '' && !/^\d{1,9}$/.test(form.translationOf)) errors.translationOf = 'Choose a section from the list.';
  else if (form.translationOf !== '' && !isLocale(form.locale)) errors.locale = 'Choose the language of the translation.';
  if (form.title.length === 0) errors.title = 'Give the section a title (for the FAQ: the question).';
  else if (form.title.length > MAX_TITLE) errors.title = `Keep the title under ${MAX_TITLE} characters.`;
  if (form.body.trim().length === 0) errors.body = 'Write the text of the section.';
  else if (form.body.length > MAX_BODY) errors.body = `Keep the text under ${MAX_BODY.toLocaleString('en')} characters (it has ${form.body.length.toLocaleString('en')}).`;
  if (!/^\d{1,4}$/.test(form.position) || Number(form.position) > MAX_POSITION) errors.position = `Enter a whole number from 0 to ${MAX_POSITION}.`;
  return errors;
}

export function parseSectionForm(body: FormBody | undefined): ParsedSection {
  const input = body ?? {};
  const form = {
    page: text(input, 'page'), title: text(input, 'title'), body: rawText(input, 'body'), position: text(input, 'position') || '0', reason: text(input, 'reason'),
    locale: text(input, 'locale'), translationOf: text(input, 'translationOf'),
  };
  const errors = problems(form);
  let reason = '';
  try {
    reason = requireReason(input, 'reason');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    errors.reason = error.message;
  }
  const valid = Object.keys(errors).length === 0;
  const translation = form.translationOf === '' ? null : { locale: form.locale as Locale, of: Number(form.translationOf) };
  const values = valid ? { page: form.page as SectionPage, title: form.title, body: form.body, position: Number(form.position), translation } : null;
  return { form, errors, values, reason };
}
