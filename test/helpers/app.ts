// Builds the real app on a fresh test database, for app.inject and real-socket tests.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { Clock } from '../../src/clock.js';
import { testConfig, type Config } from '../../src/config.js';
import { openTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

export async function buildTestApp(options: { clock?: Clock; config?: Partial<Config> } = {}): Promise<TestApp> {
  const db = await openTestDatabase();
  const config = testConfig({ dataDir: db.dataDir, databaseUrl: db.url, ...options.config });
  const app = await buildApp(config, { db, clock: options.clock });
  await app.ready();
  return {
    app,
    db,
    config,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
