// No Docker engine runs here, so the compose file and Dockerfile are checked by parsing them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { SHUTDOWN_LIMIT_MS } from '../../src/tracker/service.js';

interface Service {
  image?: string;
  profiles?: string[];
  build?: string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
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
const repoFile = (path: string): URL => new URL(`../../${path.replace(/^\.\//, '')}`, import.meta.url);
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

  it("gives the app longer to stop than seedkeep's own shutdown bound", () => {
    const grace = seconds(compose.services.app.stop_grace_period ?? '10s');
    assert.ok(grace * 1000 > SHUTDOWN_LIMIT_MS, `stop_grace_period ${grace}s, shutdown bound ${SHUTDOWN_LIMIT_MS / 1000}s`);
  });
});

describe('docker-compose.yml monitoring profile', () => {
  const monitoring = ['prometheus', 'grafana'];

  it('starts Prometheus and Grafana only with --profile monitoring', () => {
    for (const name of monitoring) assert.deepEqual(compose.services[name].profiles, ['monitoring'], name);
    for (const name of ['db', 'app']) assert.equal(compose.services[name].profiles, undefined, name);
  });

  it('mounts files that exist and keeps their ports on the loopback', () => {
    for (const name of monitoring) {
      const service = compose.services[name];
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (source.startsWith('./')) assert.ok(existsSync(repoFile(source)), `${name} mounts ${source}`);
        else assert.ok(source in compose.volumes, `${name}'s volume ${source} is declared`);
      }
      assert.ok(service.ports?.every((p) => p.startsWith('127.0.0.1:')), `${name} is published on the loopback only`);
    }
  });

  it('has Prometheus scrape the app\'s METRICS_PORT, which the app does not publish', () => {
    const app = compose.services.app;
    const port = /^\$\{METRICS_PORT:-(\d+)\}$/.exec(app.environment?.METRICS_PORT ?? '')?.[1];
    assert.ok(port, 'the app serves metrics on its own port');
    assert.ok(!app.ports?.some((p) => p.includes(port)), 'the metrics port is not published');
    const prometheus = parse(readFileSync(repoFile('deploy/prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }> };
    const job = prometheus.scrape_configs[0];
    assert.equal(job.metrics_path, '/metrics');
    assert.deepEqual(job.static_configs[0].targets, [`app:${port}`]);
  });

  it('provisions a Grafana dashboard whose queries use metrics seedkeep exports', () => {
    const dashboard = JSON.parse(readFileSync(repoFile('deploy/grafana/dashboards/seedkeep.json'), 'utf8')) as { uid: string; panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    assert.equal(dashboard.uid, 'seedkeep');
    const sources = ['src/metrics/collectors.ts', 'src/metrics/tracker-tally.ts'].map((f) => readFileSync(repoFile(f), 'utf8')).join('\n');
    const names = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/seedkeep_[a-z_]+/g) ?? [])));
    assert.ok(names.size >= 10);
    for (const name of names) assert.ok(sources.includes(`'${name.replace(/_(bucket|sum|count)$/, '')}'`), `the dashboard queries ${name}, which is not exported`);
    const datasource = parse(readFileSync(repoFile('deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8')) as { datasources: Array<{ url: string }> };
    assert.equal(datasource.datasources[0].url, 'http://prometheus:9090');
  });
});

describe('docker-compose.yml shared profile', () => {
  const trackers = ['tracker-a', 'tracker-b'];

  it('runs Redis with AOF fsynced at every write, only with --profile shared', () => {
    const redis = compose.services.redis;
    assert.deepEqual(redis.profiles, ['shared']);
    assert.match(redis.image ?? '', /^redis:7/);
    const command = (redis.command ?? []).join(' ');
    assert.match(command, /--appendonly yes/);
    assert.match(command, /--appendfsync always/);
    assert.ok(redis.healthcheck?.test.join(' ').includes('ping'));
    assert.ok(redis.volumes?.[0]?.split(':')[0]! in compose.volumes);
  });

  it('runs two tracker services on one Redis and one PostgreSQL, with their own ports', () => {
    for (const name of trackers) {
      const tracker = compose.services[name];
      assert.deepEqual(tracker.profiles, ['shared'], name);
      assert.equal(tracker.build, '.');
      assert.equal(tracker.environment?.REDIS_URL, 'redis://redis:6379', name);
      assert.match(tracker.environment?.DATABASE_URL ?? '', /^postgres:\/\/.+@db:5432\//, name);
      assert.ok(Number(tracker.environment?.WORKERS ?? '1') >= 1);
      assert.ok(seconds(tracker.stop_grace_period ?? '10s') * 1000 > SHUTDOWN_LIMIT_MS, `${name} may finish its shutdown`);
    }
    assert.equal(compose.services['tracker-a'].depends_on?.redis.condition, 'service_healthy');
    assert.equal(compose.services['tracker-a'].depends_on?.db.condition, 'service_healthy');
    const published = trackers.flatMap((name) => compose.services[name].ports ?? []).map((p) => p.split(':')[0]);
    assert.equal(new Set(published).size, published.length, 'no host port published twice');
  });

  it('gives both trackers the same secrets: one volume, written by the first before the second starts', () => {
    const [a, b] = trackers.map((name) => compose.services[name]);
    assert.deepEqual(a.volumes, b.volumes);
    assert.ok(a.volumes?.[0]?.endsWith(':/data'));
    assert.equal(b.depends_on?.['tracker-a'].condition, 'service_healthy');
    assert.ok(a.healthcheck?.test.join(' ').includes('/healthz'));
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
