// No Docker engine runs here, so the compose file and Dockerfile are checked by parsing them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';

interface Service {
  image?: string;
  profiles?: string[];
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
const repoFile = (path: string): URL => new URL(`../../${path.replace(/^\.\//, '')}`, import.meta.url);

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

describe('Dockerfile', () => {
  it('is multi-stage and runs as a non-root user', () => {
    assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 2);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /EXPOSE 8080\/tcp 6969\/udp/);
  });
});
