// Reading the inbox forms: a subject and a Markdown body, each bounded. Problems come back per
// field, for the form to show beside it.
import { text, type FormBody } from '../admin/form.js';
import { formatPlain } from '../../i18n/format.js';
import type { Locale, Translate } from '../../i18n/index.js';

export const MAX_SUBJECT = 200;
/** a long message is a few thousand characters; this bounds what one page renders */
export const MAX_MESSAGE = 10_000;

/** Line endings as the browser sent them would count twice against the limit. */
export const rawText = (body: FormBody | undefined, name: string): string =>
  typeof body?.[name] === 'string' ? (body[name] as string).replace(/\r\n/g, '\n') : '';

/** The reader's translator and language, for problems said beside their fields. */
export interface Speaker {
  t: Translate;
  locale: Locale;
}

export function messageProblem(message: string, { t, locale }: Speaker): string | null {
  if (message.trim().length === 0) return t('inbox.problems.writeMessage');
  if (message.length > MAX_MESSAGE) return t('inbox.problems.messageLong', { max: formatPlain(locale, MAX_MESSAGE), length: formatPlain(locale, message.length) });
  return null;
}

export function subjectProblem(subject: string, { t }: Speaker): string | null {
  if (subject.length === 0) return t('inbox.problems.giveSubject');
  if (subject.length > MAX_SUBJECT) return t('inbox.problems.subjectLong', { max: MAX_SUBJECT });
  return null;
}

export interface ParsedTicket {
  values: { subject: string; body: string };
  errors: Record<string, string>;
}

export function parseTicketForm(body: FormBody | undefined, speaker: Speaker): ParsedTicket {
  const values = { subject: text(body, 'subject'), body: rawText(body, 'body') };
  const errors: Record<string, string> = {};
  const subject = subjectProblem(values.subject, speaker);
  if (subject) errors.subject = subject;
  const message = messageProblem(values.body, speaker);
  if (message) errors.body = message;
  return { values, errors };
}
