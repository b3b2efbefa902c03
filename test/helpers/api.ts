// Helpers for the API specs: tokens made through the tokens service, and the XML parser the
// Torznab specs read replies with (a real parser, as the *arr apps use one).
import type { FastifyInstance } from 'fastify';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createApiToken, type Scope } from '../../src/web/api/tokens.js';
import type { Member } from './releases.js';

export async function tokenFor(app: FastifyInstance, member: Pick<Member, 'id'>, scopes: Scope[] = ['read', 'download'], name = 'test'): Promise<string> {
  const { token } = await createApiToken({ prisma: app.db.prisma, userId: member.id, name, scopes, now: new Date(app.clock.now()) });
  return token;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['item', 'category', 'torznab:attr', 'subcat'].includes(name),
});

/** Parses a reply body; fails on anything that is not well-formed XML. */
export function parseXml(body: string): any {
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}`);
  return parser.parse(body);
}

/** An item's torznab:attr elements as name -> values. */
export function attrsOf(item: any): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const attr of item['torznab:attr'] ?? []) (out[attr['@name']] ??= []).push(attr['@value']);
  return out;
}
