// Reading the staff form for a rules or FAQ section: page, title, Markdown body, position and
// the reason every staff change carries. Problems come back per field, for the form to show.
import { requireReason, text, type FormBody } from '../admin/form.js';
import { AppError } from '../../errors.js';
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
  if (!SECTION_PAGES.includes(form.page as SectionPage)) errors.page = 'Choose the rules page or the FAQ.';
  if (form.title.length === 0) errors.title = 'Give the section a title (for the FAQ: the question).';
  else if (form.title.length > MAX_TITLE) errors.title = `Keep the title under ${MAX_TITLE} characters.`;
  if (form.body.trim().length === 0) errors.body = 'Write the text of the section.';
  else if (form.body.length > MAX_BODY) errors.body = `Keep the text under ${MAX_BODY.toLocaleString('en')} characters (it has ${form.body.length.toLocaleString('en')}).`;
  if (!/^\d{1,4}$/.test(form.position) || Number(form.position) > MAX_POSITION) errors.position = `Enter a whole number from 0 to ${MAX_POSITION}.`;
  return errors;
}

export function parseSectionForm(body: FormBody | undefined): ParsedSection {
  const input = body ?? {};
  const form = { page: text(input, 'page'), title: text(input, 'title'), body: rawText(input, 'body'), position: text(input, 'position') || '0', reason: text(input, 'reason') };
  const errors = problems(form);
  let reason = '';
  try {
    reason = requireReason(input, 'reason');
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    errors.reason = error.message;
  }
  const valid = Object.keys(errors).length === 0;
  const values = valid ? { page: form.page as SectionPage, title: form.title, body: form.body, position: Number(form.position) } : null;
  return { form, errors, values, reason };
}
