// No Docker engine runs here, so the compose file and Dockerfile are checked by parsing them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
  volumes?: string[];
}

const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  engines: { node: string };
};

/** The Dockerfile's stages, each as its FROM line and the instructions under it. */
function stages(): string[] {
  return dockerfile.split(/^(?=FROM )/m).filter((stage) => stage.startsWith('FROM '));
}

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
});

describe('Dockerfile', () => {
  it('is multi-stage and runs as a non-root user', () => {
    assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /EXPOSE 8080\/tcp 6969\/udp/);
  });

  it('builds and runs on Node 24, the version package.json asks for', () => {
    for (const stage of stages()) assert.match(stage, /^FROM node:24-/);
    assert.equal(packageJson.engines.node, '>=24');
  });

  it('runs the compiled build on production dependencies only', () => {
    const runtime = stages().at(-1)!;
    assert.match(runtime, /^RUN npm ci --omit=dev --ignore-scripts/m);
    assert.match(runtime, /node scripts\/prune-dev-tools\.mjs/);
    assert.match(runtime, /^COPY --from=build \/app\/dist \.\/dist$/m);
    assert.match(runtime, /^CMD \["node", "dist\/server\.js"\]$/m);
    assert.doesNotMatch(runtime, /COPY --from=build \/app\/node_modules/, 'the build stage has the dev dependencies');
    assert.doesNotMatch(runtime, /\btsx\b|npm run build|npm ci --no-audit/);
  });

  it('leaves TypeScript, tsx, the Prisma CLI and the test tools out of the production dependencies', () => {
    const devTools = ['typescript', 'tsx', 'prisma', '@prisma/internals', 'bittorrent-tracker', 'playwright-core', 'yaml'];
    for (const name of devTools) assert.equal(packageJson.dependencies[name], undefined, `${name} is a dev dependency`);
  });
});
