// What the ticket page and the appeal page show of a conversation: messages rendered from
// Markdown (no images), who wrote them, and the member's or the staff's side of it.
import { renderMarkdown } from '../rules/markdown.js';
import type { TicketDetails } from './queries.js';

const KIND_LABELS: Record<string, string> = { member: 'From the member', appeal: 'Appeal (account disabled)', staff: 'Staff message', report: 'Report outcome' };

export const kindLabel = (kind: string): string => KIND_LABELS[kind] ?? kind;

interface Message {
  id: number;
  body: string;
  fromStaff: boolean;
  createdAt: Date;
  author: { id?: number; username: string } | null;
}

export const messagesView = (messages: Message[]) =>
  messages.map((m) => ({ id: m.id, html: renderMarkdown(m.body, { breaks: true }), fromStaff: m.fromStaff, createdAt: m.createdAt, author: m.author }));

export function ticketView(ticket: TicketDetails) {
  return {
    id: ticket.id,
    subject: ticket.subject,
    kind: ticket.kind,
    kindLabel: kindLabel(ticket.kind),
    status: ticket.status,
    resolved: ticket.status === 'resolved',
    createdAt: ticket.createdAt,
    resolvedAt: ticket.resolvedAt,
    member: ticket.member,
    assignee: ticket.assignee,
    messages: messagesView(ticket.messages),
  };
}

export const listRowView = <T extends { kind: string }>(row: T) => ({ ...row, kindLabel: kindLabel(row.kind) });
