// Reading the inbox forms: a subject and a Markdown body, each bounded. Problems come back per
// field, for the form to show beside it.
import { text, type FormBody } from '../admin/form.js';

export const MAX_SUBJECT = 200;
/** a long message is a few thousand characters; this bounds what one page renders */
export const MAX_MESSAGE = 10_000;

/** Line endings as the browser sent them would count twice against the limit. */
export const rawText = (body: FormBody | undefined, name: string): string =>
  typeof body?.[name] === 'string' ? (body[name] as string).replace(/\r\n/g, '\n') : '';

export function messageProblem(message: string): string | null {
  if (message.trim().length === 0) return 'Write a message.';
  if (message.length > MAX_MESSAGE) return `Keep the message under ${MAX_MESSAGE.toLocaleString('en')} characters (it has ${message.length.toLocaleString('en')}).`;
  return null;
}

export function subjectProblem(subject: string): string | null {
  if (subject.length === 0) return 'Give the conversation a subject.';
  if (subject.length > MAX_SUBJECT) return `Keep the subject under ${MAX_SUBJECT} characters.`;
  return null;
}

export interface ParsedTicket {
  values: { subject: string; body: string };
  errors: Record<string, string>;
}

export function parseTicketForm(body: FormBody | undefined): ParsedTicket {
  const values = { subject: text(body, 'subject'), body: rawText(body, 'body') };
  const errors: Record<string, string> = {};
  const subject = subjectProblem(values.subject);
  if (subject) errors.subject = subject;
  const message = messageProblem(values.body);
  if (message) errors.body = message;
  return { values, errors };
}
