import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { RUN_TS } from '../helpers/ts-run.js';

const freshDir = () => mkdtempSync(path.join(tmpdir(), 'seedkeep-config-'));

function rejects(env: Record<string, string>, variable: string): void {
  assert.throws(
    () => loadConfig({ DATA_DIR: freshDir(), ...env }),
    (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.includes(variable),
  );
}

describe('config', () => {
  it('has defaults for everything', () => {
    const dataDir = freshDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    assert.equal(config.port, 8080);
    assert.equal(config.udpPort, 6969);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.baseUrl, 'http://localhost:8080');
    assert.equal(config.databaseUrl, '');
    assert.equal(config.dataDir, dataDir);
    assert.deepEqual(config.trustedProxies, []);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.udpEnabled, true);
    assert.equal(config.announceInterval, 1800);
    assert.equal(config.flushIntervalMs, 1000);
    assert.equal(config.countsIntervalMs, 15_000);
    assert.equal(config.metricsPort, 0);
    assert.equal(config.metricsToken, '');
  });

  it('generates secrets on first start and keeps them in the data dir', () => {
    const dataDir = freshDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    assert.match(first.sessionSecret, /^[0-9a-f]{64}$/);
    assert.notEqual(first.sessionSecret, first.trackerSecret);
    assert.ok(existsSync(path.join(dataDir, 'secrets.json')));
    const second = loadConfig({ DATA_DIR: dataDir });
    assert.equal(second.sessionSecret, first.sessionSecret);
    assert.equal(second.trackerSecret, first.trackerSecret);
  });

  it('uses secrets from the environment without writing them to disk', () => {
    const dataDir = freshDir();
    const secret = 'x'.repeat(40);
    const config = loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: secret });
    assert.equal(config.sessionSecret, secret);
    assert.ok(!readFileSync(path.join(dataDir, 'secrets.json'), 'utf8').includes(secret));
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATA_DIR: freshDir(),
      PORT: '9000',
      UDP_PORT: '7000',
      HOST: '127.0.0.1',
      BASE_URL: 'https://tracker.example.org/',
      DATABASE_URL: 'postgres://u:p@db:5432/seedkeep',
      TRUSTED_PROXIES: '10.0.0.1, 192.168.0.0/16,::1',
      LOG_LEVEL: 'debug',
      UDP_ENABLED: 'false',
      COUNTS_INTERVAL_MS: '60000',
      METRICS_PORT: '9464',
      METRICS_TOKEN: 'k'.repeat(40),
    });
    assert.equal(config.port, 9000);
    assert.equal(config.udpPort, 7000);
    assert.equal(config.baseUrl, 'https://tracker.example.org');
    assert.equal(config.udpHost, 'tracker.example.org');
    assert.equal(config.databaseUrl, 'postgres://u:p@db:5432/seedkeep');
    assert.deepEqual(config.trustedProxies, ['10.0.0.1', '192.168.0.0/16', '::1']);
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.udpEnabled, false);
    assert.equal(config.countsIntervalMs, 60_000);
    assert.equal(config.metricsPort, 9464);
    assert.equal(config.metricsToken, 'k'.repeat(40));
  });

  it('rejects each bad value, naming the variable', () => {
    rejects({ PORT: 'http' }, 'PORT');
    rejects({ PORT: '70000' }, 'PORT');
    rejects({ UDP_PORT: '-1' }, 'UDP_PORT');
    rejects({ HOST: 'not a host' }, 'HOST');
    rejects({ BASE_URL: 'tracker.example.org' }, 'BASE_URL');
    rejects({ BASE_URL: 'ftp://tracker.example.org' }, 'BASE_URL');
    rejects({ BASE_URL: 'https://x.org/?a=1' }, 'BASE_URL');
    rejects({ DATABASE_URL: 'mysql://localhost/db' }, 'DATABASE_URL');
    rejects({ CATALOG_NOTIFY: 'true' }, 'CATALOG_NOTIFY');
    rejects({ CATALOG_NOTIFY: 'often', DATABASE_URL: 'postgres://localhost/db' }, 'CATALOG_NOTIFY');
    rejects({ TRUSTED_PROXIES: '10.0.0.1,banana' }, 'TRUSTED_PROXIES');
    rejects({ TRUSTED_PROXIES: '10.0.0.0/33' }, 'TRUSTED_PROXIES');
    rejects({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL');
    rejects({ UDP_ENABLED: 'maybe' }, 'UDP_ENABLED');
    rejects({ SESSION_SECRET: 'short' }, 'SESSION_SECRET');
    rejects({ TRACKER_SECRET: 'short' }, 'TRACKER_SECRET');
    rejects({ ANNOUNCE_INTERVAL: '5' }, 'ANNOUNCE_INTERVAL');
    rejects({ MIN_INTERVAL: '4000' }, 'MIN_INTERVAL');
    rejects({ FLUSH_INTERVAL_MS: '1.5' }, 'FLUSH_INTERVAL_MS');
    rejects({ COUNTS_INTERVAL_MS: '0' }, 'COUNTS_INTERVAL_MS');
    rejects({ NEW_MEMBER_CREDIT_BYTES: 'lots' }, 'NEW_MEMBER_CREDIT_BYTES');
    rejects({ METRICS_PORT: 'nine' }, 'METRICS_PORT');
    rejects({ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN');
  });

  it('reads the shared mode: REDIS_URL in its three forms, its prefix and shards, and WORKERS', () => {
    const pg = 'postgres://localhost/db';
    for (const url of ['redis://127.0.0.1:6379/0', 'rediss://cache.example.org:6380', 'redis+cluster://10.0.0.1:7000,10.0.0.2:7001']) {
      assert.equal(loadConfig({ DATA_DIR: freshDir(), REDIS_URL: url }).redisUrl, url);
    }
    const plain = loadConfig({ DATA_DIR: freshDir() });
    assert.deepEqual([plain.redisUrl, plain.redisPrefix, plain.redisShards, plain.workers, plain.catalogNotify], ['', 'seedkeep', 64, 1, false]);
    const shared = loadConfig({ DATA_DIR: freshDir(), REDIS_URL: 'redis://r:6379', DATABASE_URL: pg, WORKERS: '4', REDIS_PREFIX: 'site-a', REDIS_SHARDS: '16' });
    assert.deepEqual([shared.workers, shared.redisPrefix, shared.redisShards], [4, 'site-a', 16]);
    assert.equal(shared.catalogNotify, true, 'processes sharing swarms share catalog changes too');
    assert.equal(loadConfig({ DATA_DIR: freshDir(), REDIS_URL: 'redis://r:6379' }).catalogNotify, false, 'one process on the embedded database');
  });

  it('refuses a bad REDIS_URL, and WORKERS above 1 without Redis or PostgreSQL, with a clear message', () => {
    rejects({ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL');
    rejects({ REDIS_URL: 'redis+cluster://' }, 'REDIS_URL');
    rejects({ REDIS_URL: 'redis+cluster://a:99999' }, 'REDIS_URL');
    rejects({ REDIS_PREFIX: 'a{b}' }, 'REDIS_PREFIX');
    rejects({ REDIS_SHARDS: '0' }, 'REDIS_SHARDS');
    rejects({ WORKERS: '0' }, 'WORKERS');
    assert.throws(() => loadConfig({ DATA_DIR: freshDir(), WORKERS: '2', DATABASE_URL: 'postgres://localhost/db' }), {
      message: 'Invalid configuration: WORKERS above 1 needs REDIS_URL: the processes share their swarms through Redis (docs/scaling.md)',
    });
    rejects({ WORKERS: '2', REDIS_URL: 'redis://r:6379' }, 'WORKERS');
  });

  it('prints one line naming the variable when the server is started with a bad value', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [...RUN_TS, 'src/server.ts'], {
      env: { ...process.env, DATA_DIR: freshDir(), PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), 'Invalid configuration: PORT must be a whole number, got "eighty"');
  });
});
