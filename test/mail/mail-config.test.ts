import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createMailer } from '../../src/mail/mailer.js';

const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'seedkeep-mail-')), ...env });

function rejects(env: Record<string, string>, variable: string): void {
  assert.throws(() => load(env), (error: unknown) => error instanceof ConfigError && error.variable === variable);
}

describe('mail configuration', () => {
  it('sends no mail without SMTP_URL, and names the site in the default sender', () => {
    const config = load({ BASE_URL: 'https://tracker.example.org', SITE_NAME: 'Kept' });
    assert.equal(config.smtpUrl, '');
    assert.equal(config.mailFrom, 'Kept <noreply@tracker.example.org>');
    assert.equal(createMailer(config), null);
  });

  it('accepts smtp:// and smtps:// URLs and a plain or named sender', () => {
    const config = load({ SMTP_URL: 'smtps://user:p%40ss@mail.example.org:465', MAIL_FROM: 'Tracker <noreply@example.org>' });
    assert.equal(config.smtpUrl, 'smtps://user:p%40ss@mail.example.org:465');
    assert.equal(config.mailFrom, 'Tracker <noreply@example.org>');
    const mailer = createMailer(config);
    assert.ok(mailer);
    mailer.close();
    assert.equal(load({ MAIL_FROM: 'noreply@example.org' }).mailFrom, 'noreply@example.org');
  });

  it('stops the start on a bad SMTP_URL or MAIL_FROM, naming it', () => {
    rejects({ SMTP_URL: 'http://mail.example.org' }, 'SMTP_URL');
    rejects({ SMTP_URL: 'not a url' }, 'SMTP_URL');
    rejects({ MAIL_FROM: 'nobody' }, 'MAIL_FROM');
    rejects({ MAIL_FROM: 'a@b.org\r\nBcc: x@y.org' }, 'MAIL_FROM');
    rejects({ MAIL_FROM: 'Tracker <not an address>' }, 'MAIL_FROM');
  });
});
