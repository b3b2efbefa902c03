// No Docker engine runs here, so the compose file and Dockerfile are checked by parsing them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { SHUTDOWN_LIMIT_MS } from '../../src/tracker-service.js';

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}

/** Compose durations as the app service uses them: `30s`, `1m30s`. */
function seconds(duration: string): number {
  const match = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
  assert.ok(match && duration !== '', `a duration like 30s, got ${duration}`);
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('runs Postgres 16 with a healthcheck and a named volume', () => {
    const db = compose.services.db;
    assert.match(db.image ?? '', /^postgres:16/);
    assert.ok(db.healthcheck?.test.join(' ').includes('pg_isready'));
    const volume = db.volumes?.[0]?.split(':')[0];
    assert.ok(volume && volume in compose.volumes, 'the data volume is declared');
  });

  it('builds the app, waits for a healthy database and publishes HTTP and UDP', () => {
    const app = compose.services.app;
    assert.equal(app.build, '.');
    assert.equal(app.depends_on?.db.condition, 'service_healthy');
    assert.match(app.environment?.DATABASE_URL ?? '', /^postgres:\/\/.+@db:5432\//);
    assert.ok(app.environment?.BASE_URL);
    assert.ok(app.ports?.some((p) => p.endsWith('/tcp') && p.includes('8080')));
    assert.ok(app.ports?.some((p) => p.endsWith('/udp') && p.includes('6969')));
    for (const v of app.volumes ?? []) assert.ok(v.split(':')[0] in compose.volumes);
  });

  it("gives the app longer to stop than seedkeep's own shutdown bound", () => {
    const grace = seconds(compose.services.app.stop_grace_period ?? '10s');
    assert.ok(grace * 1000 > SHUTDOWN_LIMIT_MS, `stop_grace_period ${grace}s, shutdown bound ${SHUTDOWN_LIMIT_MS / 1000}s`);
  });
});

describe('Dockerfile', () => {
  it('is multi-stage and runs as a non-root user', () => {
    assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /EXPOSE 8080\/tcp 6969\/udp/);
  });
});
