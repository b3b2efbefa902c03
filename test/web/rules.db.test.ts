// /rules and /faq: generated from the live settings (a change on /admin/settings shows at
// once), stable anchors, the tracker's client refusal linking to them, and the staff-written
// Markdown sections: only admins edit them, with a CSRF token and a reason, and hostile
// Markdown is shown as harmless text.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { addTrackedRelease, flashOf, postForm } from '../helpers/admin.js';
import { createMember, type Member } from '../helpers/releases.js';

let t: TestApp;
let admin: Member;
let moderator: Member;
let member: Member;

before(async () => {
  t = await buildTestApp();
  admin = await createMember(t.app, 'boss', 'admin');
  moderator = await createMember(t.app, 'mod', 'moderator');
  member = await createMember(t.app, 'reader');
});

after(() => t.close());

const get = (url: string, who?: Member) => t.app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} });

/** Every field of the first form on a page, as a browser would send it back. */
function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [, tag] of html.matchAll(/<input ([^>]*)>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    if (name && name !== '_csrf') fields[name] = /value="([^"]*)"/.exec(tag)?.[1] ?? '';
  }
  for (const [, name, inner] of html.matchAll(/<select [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    fields[name] = /<option value="([^"]*)" selected/.exec(inner)?.[1] ?? '';
  }
  for (const [, name, value] of html.matchAll(/<textarea [^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) fields[name] = value;
  return fields;
}

/** The text of a section of /rules or /faq, by its anchor. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}"`);
  assert.ok(start >= 0, `no section #${id}`);
  return html.slice(start, html.indexOf('</section>', start));
}

describe('rules page', () => {
  it('is public, linked from every page, and has a stable anchor for every generated section', async () => {
    const res = await get('/rules');
    assert.equal(res.statusCode, 200);
    for (const id of ['ratio', 'watch', 'hit-and-run', 'bonus', 'freeleech', 'clients', 'invites']) {
      assert.match(res.body, new RegExp(`<section id="${id}"`), `#${id}`);
      assert.match(res.body, new RegExp(`<a href="#${id}">`), `table of contents links #${id}`);
    }
    for (const [page, who] of [['/', member], ['/releases', member], [`/users/${member.id}`, member], ['/login', undefined], ['/nowhere', undefined]] as const) {
      const html = (await get(page, who)).body;
      assert.match(html, /<a href="\/rules">Rules<\/a>/, `${page} links the rules`);
      assert.match(html, /<a href="\/faq">FAQ<\/a>/, `${page} links the FAQ`);
    }
  });

  it('shows the default ratio table, watch, hit-and-run, bonus, client and invite numbers', async () => {
    const html = (await get('/rules')).body;
    const ratio = sectionOf(html, 'ratio');
    assert.match(ratio, /<th scope="row">0–5 GiB<\/th><td class="num">0.00<\/td><td class="num">0.00<\/td>/);
    assert.match(ratio, /<th scope="row">100 GiB and more<\/th><td class="num">0.60<\/td><td class="num">0.60<\/td>/);
    assert.match(sectionOf(html, 'watch'), /<strong>14 days<\/strong>[\s\S]*<strong>10 GiB<\/strong>/);
    assert.match(sectionOf(html, 'hit-and-run'), /<strong>10 %<\/strong>[\s\S]*<strong>72 hours<\/strong>[\s\S]*<strong>14 days<\/strong>[\s\S]*<strong>3<\/strong>/);
    assert.match(sectionOf(html, 'bonus'), /<td>4 GiB<\/td><td class="num">1<\/td><td class="num">2<\/td>/);
    assert.match(sectionOf(html, 'clients'), /<code>-XL<\/code> Xunlei/);
    assert.match(sectionOf(html, 'invites'), /Registration is open/);
    assert.match(sectionOf(html, 'freeleech'), /It is off now/);
  });

  it('shows the new ratio table, watch length and client lists right after an admin saves the settings', async () => {
    const page = await get('/admin/settings', admin);
    const fields = formFields(page.body);
    Object.assign(fields, {
      band_from_1: '8', band_max_1: '0.25', band_min_1: '0.05', watchDays: '21', hnrSeedHours: '96',
      clientAllow: '-qB\n-TR', clientDeny: '-XL', registrationMode: 'invite', 'settings-reason': 'stricter rules',
    });
    const saved = await postForm(t.app, admin, '/admin/settings', fields, { from: '/admin/settings' });
    assert.equal(saved.statusCode, 303, saved.body.slice(0, 300));

    const html = (await get('/rules')).body;
    assert.match(sectionOf(html, 'ratio'), /<th scope="row">8–10 GiB<\/th><td class="num">0.25<\/td><td class="num">0.05<\/td>/);
    assert.match(sectionOf(html, 'ratio'), /<th scope="row">0–8 GiB<\/th>/);
    assert.match(sectionOf(html, 'watch'), /<strong>21 days<\/strong>/);
    assert.match(sectionOf(html, 'hit-and-run'), /<strong>96 hours<\/strong>/);
    const clients = sectionOf(html, 'clients');
    assert.match(clients, /Only these clients may connect/);
    assert.match(clients, /<code>-qB<\/code> qBittorrent/);
    assert.match(clients, /<code>-TR<\/code> Transmission/);
    assert.doesNotMatch(clients, /FlashGet/);
    assert.match(sectionOf(html, 'invites'), /by invitation only/);
    assert.match(sectionOf((await get('/faq')).body, 'faq-watch'), /21 days on ratio watch/);
  });

  it('says when a site-wide freeleech is on and until when', async () => {
    const res = await postForm(t.app, admin, '/admin/site-freeleech', { 'site-hours': '24', 'site-reason': 'holiday freeleech' }, { from: '/admin/releases' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    assert.match(sectionOf((await get('/rules')).body, 'freeleech'), /It is on now, until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    await postForm(t.app, admin, '/admin/site-freeleech', { 'site-hours': '0', 'site-reason': 'holiday is over' }, { from: '/admin/releases' });
  });
});

describe('faq page', () => {
  it('answers with the live numbers and links each answer to its rule', async () => {
    const res = await get('/faq');
    assert.equal(res.statusCode, 200);
    for (const [id, anchor] of [['faq-ratio', 'ratio'], ['faq-watch', 'watch'], ['faq-client', 'clients'], ['faq-hit-and-run', 'hit-and-run'], ['faq-bonus', 'bonus'], ['faq-freeleech', 'freeleech'], ['faq-invites', 'invites']]) {
      assert.match(sectionOf(res.body, id), new RegExp(`href="/rules#${anchor}"`), `#${id} links /rules#${anchor}`);
    }
  });
});

describe('tracker failure reasons and banners', () => {
  it('links a refused client to the allowed clients on the rules page', async () => {
    const release = await addTrackedRelease(t.app);
    const peer = Buffer.from('-XL0012-abcdefghijkl', 'latin1');
    const pct = (b: Buffer) => [...b].map((x) => '%' + x.toString(16).padStart(2, '0')).join('');
    const res = await t.app.inject({
      method: 'GET',
      url: `/announce/${member.passkey}?info_hash=${pct(release.hash)}&peer_id=${pct(peer)}&port=6881&uploaded=0&downloaded=0&left=0&compact=1`,
      remoteAddress: '10.9.8.7',
    });
    assert.match(res.body, new RegExp(`see the rules for allowed clients: ${t.config.baseUrl}/rules#clients`));
  });

  it('links the ratio-watch and downloads-withdrawn banners to their rules', async () => {
    const watched = await createMember(t.app, 'watched');
    await t.app.db.prisma.user.update({
      where: { id: watched.id },
      data: { watchDeadline: new Date(Date.now() + 86_400_000), watchStartedAt: new Date(), requiredRatio: 0.5, downloaded: 10n << 30n, canLeech: false },
    });
    const html = (await get('/releases', watched)).body;
    assert.match(html, /<strong>Ratio watch:<\/strong>[\s\S]*href="\/rules#watch"/);
    assert.match(html, /<strong>Downloading is disabled<\/strong>[\s\S]*href="\/rules#watch"/);
    assert.equal(html.match(/<strong>Ratio watch:<\/strong>/g)?.length, 1, 'one ratio-watch banner');
    assert.equal(html.match(/<strong>Downloading is disabled<\/strong>/g)?.length, 1, 'one downloads-withdrawn banner');
    await t.app.db.prisma.warning.create({ data: { userId: watched.id, reason: 'seed your snatches' } });
    assert.match((await get('/releases', watched)).body, /seed your snatches[\s\S]*Read the <a href="\/rules">rules<\/a>/);
  });
});

describe('staff-written sections', () => {
  const hostile = [
    '# Seeding etiquette',
    '',
    'Seed **at least** to 1.0. See [the ratio table](/rules#ratio) or <https://example.org/guide>.',
    '',
    '<script>alert("pwned")</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(2)">raw link</a>',
    '[click me](javascript:alert(3)) [data](data:text/html;base64,PHNjcmlwdD4=) [vb](vbscript:msgbox)',
    '![tracking pixel](https://evil.example/pixel.png)',
    '<iframe src="https://evil.example/"></iframe>',
  ].join('\n');
  let sectionId = 0;

  it('lets an admin add a rules section, rendered from Markdown with every hostile part neutralised', async () => {
    const res = await postForm(t.app, admin, '/admin/rules', { page: 'rules', title: 'Seeding <em>etiquette</em>', body: hostile, position: '1', reason: 'new rule text' }, { from: '/admin/rules' });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    sectionId = (await t.app.db.prisma.rulesSection.findFirstOrThrow({ select: { id: true } })).id;
    assert.equal(res.headers.location, `/admin/rules#section-${sectionId}`);

    const html = (await get('/rules', member)).body;
    const section = sectionOf(html, `section-${sectionId}`);
    assert.match(section, /<h2 id="section-\d+-h">Seeding &lt;em&gt;etiquette&lt;\/em&gt;<\/h2>/, 'the title is text');
    assert.match(section, /<h3>Seeding etiquette<\/h3>/, 'a body heading sits below the section title');
    assert.match(section, /<strong>at least<\/strong>/);
    assert.match(section, /<a href="\/rules#ratio" rel="nofollow noopener">the ratio table<\/a>/);
    assert.match(section, /<a href="https:\/\/example.org\/guide" rel="nofollow noopener">/);
    assert.match(section, /&lt;script&gt;/, 'raw HTML is shown as text');
    for (const bad of [/<script/i, /<img/i, /<iframe/i, /<[^>]* onerror=/i, /<a [^>]*href="(javascript|data|vbscript):/i, /evil\.example\/pixel/]) {
      assert.doesNotMatch(section, bad, `no ${bad}`);
    }
    assert.match(html, new RegExp(`<a href="#section-${sectionId}">`), 'listed in the table of contents');
  });

  it('puts FAQ entries on /faq only', async () => {
    const res = await postForm(t.app, admin, '/admin/rules', { page: 'faq', title: 'Can I use a seedbox?', body: 'Yes, *any* seedbox.', position: '0', reason: 'common question' }, { from: '/admin/rules' });
    assert.equal(res.statusCode, 303);
    const faq = (await get('/faq')).body;
    assert.match(faq, /<h2 id="section-\d+-h">Can I use a seedbox\?<\/h2>\s*<div class="markdown"><p>Yes, <em>any<\/em> seedbox.<\/p>/);
    assert.doesNotMatch((await get('/rules')).body, /seedbox/);
  });

  it('lets an admin edit and delete a section, each logged with its reason', async () => {
    const body = 'Seed what you take.\n\n- one\n- two\n\n    indented code';
    const edit = await postForm(t.app, admin, `/admin/rules/${sectionId}`, { page: 'rules', title: 'Seeding etiquette', body, position: '2', reason: 'shorter' }, { from: '/admin/rules' });
    assert.equal(edit.statusCode, 303);
    const editor = (await get('/admin/rules', admin)).body;
    const shown = new RegExp(`<textarea id="body-${sectionId}"[^>]*>([\\s\\S]*?)</textarea>`).exec(editor)?.[1];
    assert.equal(shown, body, 'the editor gives the text back exactly, lines unindented');
    assert.equal(flashOf(edit), 'Section “Seeding etiquette” saved.');
    assert.match(sectionOf((await get('/rules')).body, `section-${sectionId}`), /<p>Seed what you take.<\/p>/);

    const noReason = await postForm(t.app, admin, `/admin/rules/${sectionId}/delete`, { 'delete-reason': '' }, { from: '/admin/rules' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, new RegExp(`id="delete-reason-${sectionId}-error">Give a reason`));
    const gone = await postForm(t.app, admin, `/admin/rules/${sectionId}/delete`, { 'delete-reason': 'duplicate of the FAQ' }, { from: '/admin/rules' });
    assert.equal(gone.statusCode, 303);
    assert.doesNotMatch((await get('/rules')).body, /Seed what you take/);
    const log = await t.app.db.prisma.moderationLog.findMany({ where: { action: { startsWith: 'rules_section' } }, select: { action: true, reason: true, actorId: true }, orderBy: { id: 'asc' } });
    assert.deepEqual(log.map((r) => [r.action, r.reason, r.actorId]), [
      ['rules_section_add', 'new rule text', admin.id],
      ['rules_section_add', 'common question', admin.id],
      ['rules_section_edit', 'shorter', admin.id],
      ['rules_section_delete', 'duplicate of the FAQ', admin.id],
    ]);
    const missing = await postForm(t.app, admin, `/admin/rules/${sectionId}`, { page: 'rules', title: 'x', body: 'y', position: '0', reason: 'again' }, { from: '/admin/rules' });
    assert.equal(missing.statusCode, 404);
  });

  it('refuses a body over the limit, an empty title, a bad page and a bad position beside their fields', async () => {
    const count = await t.app.db.prisma.rulesSection.count();
    const res = await postForm(t.app, admin, '/admin/rules', { page: 'news', title: '', body: 'x'.repeat(20_001), position: '-3', reason: 'too long' }, { from: '/admin/rules' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="body-new-error">Keep the text under 20,000 characters \(it has 20,001\)/);
    assert.match(res.body, /id="title-new-error">Give the section a title/);
    assert.match(res.body, /id="page-new-error">Choose the rules page, the FAQ or the guide/);
    assert.match(res.body, /id="position-new-error">Enter a whole number from 0 to 1000/);
    assert.equal(await t.app.db.prisma.rulesSection.count(), count);
  });

  it('previews a body without saving it or asking for a reason', async () => {
    const count = await t.app.db.prisma.rulesSection.count();
    const res = await postForm(t.app, admin, '/admin/rules', { page: 'faq', title: 'Draft', body: 'Try **this** <script>x</script>', position: '0', reason: '', preview: 'yes' }, { from: '/admin/rules' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Preview <span class="muted">\(not saved\)<\/span>[\s\S]*<p>Try <strong>this<\/strong> &lt;script&gt;x&lt;\/script&gt;<\/p>/);
    assert.match(res.body, /<textarea id="body-new"[^>]*>Try \*\*this\*\* &lt;script&gt;x&lt;\/script&gt;<\/textarea>/, 'the text stays in the form');
    assert.doesNotMatch(res.body, /id="reason-new-error"/);
    assert.equal(await t.app.db.prisma.rulesSection.count(), count);
  });

  it('refuses a body larger than a form may be with a 413, not a 500', async () => {
    const res = await postForm(t.app, admin, '/admin/rules', { page: 'rules', title: 'huge', body: 'x'.repeat(200_000), position: '0', reason: 'huge' }, { from: '/admin/rules' });
    assert.equal(res.statusCode, 413);
  });

  it('is for admins only: moderators and members get 403, visitors the login page', async () => {
    for (const who of [moderator, member]) {
      assert.equal((await get('/admin/rules', who)).statusCode, 403);
      const res = await postForm(t.app, who, '/admin/rules', { page: 'rules', title: 'mine', body: 'text', position: '0', reason: 'sneaky' }, { from: '/bonus' });
      assert.equal(res.statusCode, 403);
    }
    const visitor = await get('/admin/rules');
    assert.equal(visitor.statusCode, 302);
    assert.match(String(visitor.headers.location), /^\/login\?next=/);
    assert.equal(await t.app.db.prisma.rulesSection.count({ where: { title: 'mine' } }), 0);
  });

  it('needs a CSRF token', async () => {
    const res = await postForm(t.app, admin, '/admin/rules', { page: 'rules', title: 'forged', body: 'text', position: '0', reason: 'forged post' }, { from: '/admin/rules', csrf: false });
    assert.equal(res.statusCode, 403);
    assert.equal(await t.app.db.prisma.rulesSection.count({ where: { title: 'forged' } }), 0);
  });

  it('shows admins a link to the editor on the public pages, and nobody else', async () => {
    assert.match((await get('/rules', admin)).body, /href="\/admin\/rules"/);
    assert.doesNotMatch((await get('/rules', moderator)).body, /href="\/admin\/rules"/);
    assert.doesNotMatch((await get('/faq')).body, /href="\/admin\/rules"/);
  });
});
