// The staff inbox: a member writes to staff, staff work the queue (assign, reply, resolve),
// unread counts in the header on both sides, a warning lands in the member's inbox, a
// disabled member appeals from the login page, and nobody reads another member's conversation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { flashOf, postForm } from '../helpers/admin.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createMember, type Member } from '../helpers/releases.js';
import { WebClient } from '../helpers/web.js';

let t: TestApp;
let admin: Member;
let moderator: Member;
let alice: Member;
let bob: Member;

before(async () => {
  t = await buildTestApp();
  admin = await createMember(t.app, 'boss', 'admin');
  moderator = await createMember(t.app, 'mod', 'moderator');
  alice = await createMember(t.app, 'alice');
  bob = await createMember(t.app, 'bob');
});
after(() => t.close());

const get = (url: string, who?: Member) => t.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} });
const post = (who: Member, url: string, fields: Record<string, string>, from = '/inbox/new') => postForm(t.app, who, url, fields, { from });
const ticketIdOf = (res: { headers: Record<string, unknown> }): number => Number(/^\/inbox\/(\d+)/.exec(String(res.headers.location))?.[1]);
const logActions = async (ticket: number) =>
  (await t.app.db.prisma.moderationLog.findMany({ where: { action: { startsWith: 'ticket' } }, select: { action: true, details: true } }))
    .filter((e) => (e.details as { ticket?: number }).ticket === ticket).map((e) => e.action);

async function openTicket(who: Member, subject: string, body = 'Hello staff.'): Promise<number> {
  const res = await post(who, '/inbox', { subject, body });
  assert.equal(res.statusCode, 303, res.body);
  return ticketIdOf(res);
}

describe('a member writing to staff', () => {
  it('opens a conversation that staff see in the unassigned queue, with a count in their header', async () => {
    const id = await openTicket(alice, 'My ratio looks wrong', 'My client shows **more** upload.');
    const page = await get(`/inbox/${id}`, alice);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /My ratio looks wrong/);
    assert.match(page.body, /My client shows <strong>more<\/strong> upload\./);
    assert.match((await get('/inbox', alice)).body, new RegExp(`href="/inbox/${id}">My ratio looks wrong`));

    const home = await get('/', moderator);
    assert.match(home.body, /Staff inbox <span class="badge double" aria-label="\d+ waiting">/);
    const queue = await get('/admin/inbox?view=unassigned', moderator);
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, new RegExp(`href="/inbox/${id}">My ratio looks wrong</a> <span class="badge free">new`));
  });

  it('needs a CSRF token, a subject and a bounded body', async () => {
    const noCsrf = await postForm(t.app, alice, '/inbox', { subject: 'x', body: 'y' }, { from: '/inbox/new', csrf: false });
    assert.equal(noCsrf.statusCode, 403);
    const empty = await post(alice, '/inbox', { subject: '', body: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Give the conversation a subject/);
    assert.match(empty.body, /Write a message/);
    const huge = await post(alice, '/inbox', { subject: 'big', body: 'a'.repeat(10_001) });
    assert.equal(huge.statusCode, 400);
    assert.match(huge.body, /Keep the message under 10,000 characters/);
  });

  it('shows hostile Markdown as harmless text', async () => {
    const id = await openTicket(alice, 'hostile', '<script>alert(1)</script>\n\n[click](javascript:alert(2)) <img src=x onerror=alert(3)> ![i](https://evil.example/p.png)');
    const html = (await get(`/inbox/${id}`, moderator)).body;
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /href="javascript:/);
    assert.doesNotMatch(html, /<img src="https:\/\/evil/);
    assert.doesNotMatch(html, /<img[^>]*onerror/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it("never shows another member's conversation: 404 for reading, replying, and unknown ids", async () => {
    const id = await openTicket(alice, 'Private matter of alice');
    for (const url of [`/inbox/${id}`, '/inbox/999999', '/inbox/abc', '/inbox/0']) {
      const res = await get(url, bob);
      assert.equal(res.statusCode, 404, url);
      assert.doesNotMatch(res.body, /Private matter of alice/);
    }
    const reply = await post(bob, `/inbox/${id}/reply`, { body: 'me too' });
    assert.equal(reply.statusCode, 404);
    assert.doesNotMatch((await get('/inbox', bob)).body, /Private matter of alice/);
    assert.equal((await get(`/inbox/${id}`)).statusCode, 302, 'a visitor is sent to log in');
  });

  it('lets only staff assign and resolve', async () => {
    const id = await openTicket(alice, 'assign me');
    for (const action of ['assign', 'resolve', 'reopen']) {
      assert.equal((await post(alice, `/inbox/${id}/${action}`, { assignee: 'me' })).statusCode, 403, action);
      assert.equal((await post(bob, `/inbox/${id}/${action}`, { assignee: 'me' })).statusCode, 403, action);
    }
    assert.equal((await get('/admin/inbox', alice)).statusCode, 403);
  });
});

describe('staff working a conversation', () => {
  it('assign, reply (unread for the member), resolve; the member reply reopens it; every step logged', async () => {
    const id = await openTicket(alice, 'Please help');
    const assigned = await post(moderator, `/inbox/${id}/assign`, { assignee: 'me' }, `/inbox/${id}`);
    assert.equal(assigned.statusCode, 303);
    assert.match(flashOf(assigned) ?? '', /Assigned to mod/);
    assert.match((await get('/admin/inbox?view=mine', moderator)).body, new RegExp(`href="/inbox/${id}"`));
    assert.doesNotMatch((await get('/admin/inbox?view=unassigned', moderator)).body, new RegExp(`href="/inbox/${id}"`));

    const replied = await post(moderator, `/inbox/${id}/reply`, { body: 'Seed *more*.', resolve: 'yes' }, `/inbox/${id}`);
    assert.equal(replied.statusCode, 303);
    const header = (await get('/releases', alice)).body;
    assert.match(header, /Inbox <span class="badge free" aria-label="\d+ unread">/);
    const read = await get(`/inbox/${id}`, alice);
    assert.match(read.body, /Seed <em>more<\/em>\./);
    assert.match(read.body, /<span class="badge neutral">staff<\/span>/);
    assert.match(read.body, /resolved/);
    const ticket = await t.app.db.prisma.ticket.findUniqueOrThrow({ where: { id }, select: { memberUnread: true, status: true } });
    assert.deepEqual(ticket, { memberUnread: false, status: 'resolved' });

    assert.equal((await post(alice, `/inbox/${id}/reply`, { body: 'Still wrong.' }, `/inbox/${id}`)).statusCode, 303);
    const reopened = await t.app.db.prisma.ticket.findUniqueOrThrow({ where: { id }, select: { staffUnread: true, status: true } });
    assert.deepEqual(reopened, { staffUnread: true, status: 'open' });
    assert.equal((await post(admin, `/inbox/${id}/resolve`, {}, `/inbox/${id}`)).statusCode, 303);
    assert.match((await get('/admin/inbox?view=resolved', admin)).body, new RegExp(`href="/inbox/${id}"`));
    assert.deepEqual(await logActions(id), ['ticket_assign', 'ticket_reply_resolve', 'ticket_resolve']);
  });

  it('refuses assigning to a non-staff member', async () => {
    const id = await openTicket(alice, 'assign to bob?');
    const res = await post(moderator, `/inbox/${id}/assign`, { assignee: String(bob.id) }, `/inbox/${id}`);
    assert.equal(res.statusCode, 400);
  });

  it('puts a warning, a withdrawal of download rights and a message from the member page into the member inbox', async () => {
    const warned = await postForm(t.app, moderator, `/admin/users/${bob.id}/warn`, { 'warn-reason': 'Stop cross-seeding fakes', 'warn-days': '7' }, { from: `/admin/users/${bob.id}` });
    assert.equal(warned.statusCode, 303);
    const withdrawn = await postForm(t.app, moderator, `/admin/users/${bob.id}/leech`, { allow: 'false', 'leech-reason': 'Hit-and-runs on purpose' }, { from: `/admin/users/${bob.id}` });
    assert.equal(withdrawn.statusCode, 303);
    const inbox = (await get('/inbox', bob)).body;
    assert.match(inbox, /You have been warned<\/a> <span class="badge free">new/);
    assert.match(inbox, /Your download rights are withdrawn<\/a> <span class="badge free">new/);
    const written = await post(admin, `/admin/inbox/new?member=${bob.id}`, { subject: 'About your uploads', body: 'Please add descriptions.' }, `/admin/inbox/new?member=${bob.id}`);
    assert.equal(written.statusCode, 303);
    const id = ticketIdOf(written);
    assert.match((await get(`/inbox/${id}`, bob)).body, /Please add descriptions\./);
    const logged = await t.app.db.prisma.moderationLog.findFirst({ where: { action: 'message_member', targetUserId: bob.id }, select: { reason: true } });
    assert.equal(logged?.reason, 'About your uploads');
    assert.equal((await get(`/admin/inbox/new?member=${bob.id}`, alice)).statusCode, 403);
    assert.equal((await get('/admin/inbox/new?member=999999', admin)).statusCode, 404);
  });
});

describe('an appeal from a disabled account', () => {
  it('shows the appeal form only after the right password, opens an appeal, and shows the staff answer', async () => {
    const carol = await createMember(t.app, 'carol');
    await t.app.db.prisma.user.update({ where: { id: carol.id }, data: { enabled: false, disabledReason: 'Cheating' } });
    const browser = new WebClient(t.app, '10.9.0.1');
    const wrong = await browser.login('carol', 'not-her-password');
    assert.equal(wrong.statusCode, 401);
    assert.doesNotMatch(wrong.body, /action="\/appeal"/);

    const page = await browser.login('carol');
    assert.equal(page.statusCode, 403);
    assert.match(page.body, /is disabled: Cheating/);
    assert.match(page.body, /action="\/appeal"/);
    assert.doesNotMatch(String(page.headers['set-cookie'] ?? ''), /sk_session=/);

    const badPassword = await browser.post('/appeal', { username: 'carol', password: 'guess-guess', body: 'Let me back in' }, '/login');
    assert.equal(badPassword.statusCode, 401);
    assert.equal(await t.app.db.prisma.ticket.count({ where: { memberId: carol.id } }), 0);

    const sent = await browser.post('/appeal', { username: 'carol', password: 'carol-password-1', body: 'It was my **brother**.' }, '/login');
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /Your appeal was sent/);
    const ticket = await t.app.db.prisma.ticket.findFirstOrThrow({ where: { memberId: carol.id }, select: { id: true, kind: true } });
    assert.equal(ticket.kind, 'appeal');
    assert.match((await get('/admin/inbox?view=unassigned', admin)).body, new RegExp(`href="/inbox/${ticket.id}">Appeal`));

    await post(admin, `/inbox/${ticket.id}/reply`, { body: 'We will look at the logs.' }, `/inbox/${ticket.id}`);
    const again = await browser.login('carol');
    assert.match(again.body, /We will look at the logs\./);
    assert.match(again.body, /It was my <strong>brother<\/strong>\./);
  });

  it('tells an enabled member to log in instead, and checks the CSRF token', async () => {
    const browser = new WebClient(t.app, '10.9.0.2');
    const res = await browser.post('/appeal', { username: 'alice', password: 'alice-password-1', body: 'hi' }, '/login');
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /not disabled/);
    const forged = await browser.post('/appeal', { username: 'alice', password: 'alice-password-1', body: 'hi' }, false);
    assert.equal(forged.statusCode, 403);
  });
});
