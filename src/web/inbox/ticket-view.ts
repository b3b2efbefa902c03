// What the ticket page and the appeal page show of a conversation: messages rendered from
// Markdown (no images), who wrote them, and the member's or the staff's side of it. The site's
// own messages (a report's outcome) and subjects read in the reader's language
// (src/i18n/stored-text.ts).
import type { Translate } from '../../i18n/index.js';
import { readStored } from '../../i18n/stored-text.js';
import { ticketKindLabel } from '../admin/labels.js';
import { renderMarkdown } from '../rules/markdown.js';
import type { TicketDetails } from './queries.js';

interface Message {
  id: number;
  body: string;
  textKey?: string | null;
  textParams?: unknown;
  fromStaff: boolean;
  createdAt: Date;
  author: { id?: number; username: string } | null;
}

interface Subject {
  subject: string;
  subjectKey?: string | null;
  subjectParams?: unknown;
}

export const subjectOf = (t: Translate, row: Subject): string => readStored(t, { key: row.subjectKey ?? null, params: row.subjectParams, text: row.subject });

const bodyOf = (t: Translate, m: Message): string => readStored(t, { key: m.textKey ?? null, params: m.textParams, text: m.body });

export const messagesView = (t: Translate, messages: Message[]) =>
  messages.map((m) => ({ id: m.id, html: renderMarkdown(bodyOf(t, m), { breaks: true }), fromStaff: m.fromStaff, createdAt: m.createdAt, author: m.author }));

export function ticketView(t: Translate, ticket: TicketDetails) {
  return {
    id: ticket.id,
    subject: subjectOf(t, ticket),
    kind: ticket.kind,
    kindLabel: ticketKindLabel(t, ticket.kind),
    status: ticket.status,
    resolved: ticket.status === 'resolved',
    createdAt: ticket.createdAt,
    resolvedAt: ticket.resolvedAt,
    member: ticket.member,
    assignee: ticket.assignee,
    messages: messagesView(t, ticket.messages),
  };
}

export const listRowView = <T extends { kind: string } & Subject>(t: Translate, row: T) => ({ ...row, subject: subjectOf(t, row), kindLabel: ticketKindLabel(t, row.kind) });
