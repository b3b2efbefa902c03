// The one place that reads the environment. Every value is parsed and checked here, once,
// at boot; a bad value stops the start with a single line naming the variable.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { redisUrlProblem } from './shared/redis-url.js';

export interface Config {
  /** web pages and HTTP announce share this port */
  port: number;
  udpPort: number;
  /** UDP_ENABLED=false turns the UDP tracker off (UDP_PORT=0 picks a free port instead) */
  udpEnabled: boolean;
  host: string;
  /** absolute URL members reach the site at; announce URLs are built from it */
  baseUrl: string;
  /** host part used in udp:// announce URLs */
  udpHost: string;
  dataDir: string;
  /** empty: embedded PGlite in `${dataDir}/pglite` */
  databaseUrl: string;
  /** several processes share the database: catalog changes go to all (LISTEN/NOTIFY); on with REDIS_URL and DATABASE_URL */
  catalogNotify: boolean;
  /** the shared mode's Redis (docs/scaling.md): swarms in Redis, credit drained from its streams; empty: swarms in memory */
  redisUrl: string;
  /** prefix of every Redis key (several sites may share one Redis) */
  redisPrefix: string;
  /** hash tags the swarms are spread over: the same in every process, for the life of the data */
  redisShards: number;
  /** tracker processes sharing the ports (node:cluster); more than 1 needs REDIS_URL and DATABASE_URL */
  workers: number;
  sessionSecret: string;
  trackerSecret: string;
  /** proxy addresses or CIDRs whose X-Forwarded-For hop is trusted */
  trustedProxies: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  siteName: string;
  /** tracker timing, seconds */
  announceInterval: number;
  minInterval: number;
  /** how often the ledger flushes deltas to the database, milliseconds */
  flushIntervalMs: number;
  /** how often releases' seeder/leecher counts are written (a flush due then carries them), milliseconds */
  countsIntervalMs: number;
  /** a stopped or vanished peer's baseline is kept this long, days */
  peerRetentionDays: number;
  /** deltas kept in memory while the database is down before announces are refused */
  maxPendingDeltas: number;
  /** upload credit given to new members, bytes */
  newMemberCredit: bigint;
  /** the maximum .torrent upload, bytes */
  maxTorrentBytes: number;
  /** smtp:// or smtps:// URL of the mail server; empty: no e-mail (recovery goes through staff) */
  smtpUrl: string;
  /** the From: address of the site's mail */
  mailFrom: string;
  /** serve pages with pino-pretty logs (npm run dev) */
  pretty: boolean;
  /** Prometheus /metrics on its own listener (HOST:METRICS_PORT); 0: not there */
  metricsPort: number;
  /** Prometheus /metrics on PORT behind `Authorization: Bearer <token>`; empty: not there */
  metricsToken: string;
}

export class ConfigError extends Error {
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.variable = variable;
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function read(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${raw}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readBaseUrl(env: Env, port: number): string {
  const raw = read(env, 'BASE_URL') ?? `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('BASE_URL', `must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('BASE_URL', `must start with http:// or https://, got "${raw}"`);
  }
  if (url.search || url.hash) throw new ConfigError('BASE_URL', 'must not carry a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

function readDatabaseUrl(env: Env): string {
  const raw = read(env, 'DATABASE_URL') ?? '';
  if (raw === '') return '';
  if (!/^postgres(ql)?:\/\//.test(raw)) {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL (leave it empty for the embedded database)');
  }
  try {
    new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'is not a valid URL');
  }
  return raw;
}

function readSmtpUrl(env: Env): string {
  const raw = read(env, 'SMTP_URL') ?? '';
  if (raw === '') return '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL', 'is not a valid URL (e.g. smtp://user:pass@mail.example.org:587)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new ConfigError('SMTP_URL', 'must start with smtp:// or smtps://');
  if (!url.hostname) throw new ConfigError('SMTP_URL', 'must name a host');
  return raw;
}

function readMailFrom(env: Env, baseUrl: string, siteName: string): string {
  const raw = read(env, 'MAIL_FROM');
  if (raw === undefined) return `${siteName} <noreply@${new URL(baseUrl).hostname}>`;
  const address = /<([^<>]+)>\s*$/.exec(raw)?.[1] ?? raw;
  if (raw.length > 254 || /[\r\n]/.test(raw) || !/^[^\s@]+@[^\s@]+$/.test(address)) {
    throw new ConfigError('MAIL_FROM', `must be an address like noreply@example.org or "Site <noreply@example.org>", got "${raw}"`);
  }
  return raw;
}

function isCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d+$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

function readTrustedProxies(env: Env): string[] {
  const raw = read(env, 'TRUSTED_PROXIES');
  if (raw === undefined) return [];
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of list) {
    if (!isCidr(entry)) throw new ConfigError('TRUSTED_PROXIES', `has "${entry}", which is not an IP address or CIDR`);
  }
  return list;
}

/** The shared mode (docs/scaling.md): its Redis, key prefix and shards, and WORKERS. */
function readShared(env: Env, databaseUrl: string): Pick<Config, 'redisUrl' | 'redisPrefix' | 'redisShards' | 'workers'> {
  const redisUrl = read(env, 'REDIS_URL') ?? '';
  const problem = redisUrl === '' ? null : redisUrlProblem(redisUrl);
  if (problem) throw new ConfigError('REDIS_URL', problem);
  const redisPrefix = read(env, 'REDIS_PREFIX') ?? 'seedkeep'; // inside `{prefix:shard}` hash tags: no braces, no colon
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(redisPrefix)) throw new ConfigError('REDIS_PREFIX', `must be 1-32 letters, digits, _ or -, got "${redisPrefix}"`);
  const workers = readInt(env, 'WORKERS', 1, 1, 64);
  if (workers > 1 && redisUrl === '') throw new ConfigError('WORKERS', 'above 1 needs REDIS_URL: the processes share their swarms through Redis (docs/scaling.md)');
  if (workers > 1 && databaseUrl === '') throw new ConfigError('WORKERS', 'above 1 needs DATABASE_URL: the embedded database belongs to one process');
  return { redisUrl, redisPrefix, redisShards: readInt(env, 'REDIS_SHARDS', 64, 1, 16_384), workers };
}

/** METRICS_TOKEN guards /metrics on the public port: long enough not to be guessed. */
function readMetricsToken(env: Env): string {
  const raw = read(env, 'METRICS_TOKEN') ?? '';
  if (raw !== '' && raw.length < 32) throw new ConfigError('METRICS_TOKEN', 'must be at least 32 characters (or empty to keep /metrics off the public port)');
  return raw;
}

function readSecret(env: Env, name: string, stored: Record<string, string>): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return stored[name];
  if (raw.length < 32) throw new ConfigError(name, 'must be at least 32 characters');
  return raw;
}

/**
 * Secrets not given in the environment are generated on first start and kept in
 * `${dataDir}/secrets.json`, so sessions and UDP connection ids survive restarts.
 */
function loadOrCreateSecrets(dataDir: string, env: Env): { sessionSecret: string; trackerSecret: string } {
  const file = path.join(dataDir, 'secrets.json');
  let stored: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      throw new ConfigError('DATA_DIR', `holds an unreadable ${file}; fix or delete it`);
    }
  }
  const sessionSecret = readSecret(env, 'SESSION_SECRET', stored) ?? randomBytes(32).toString('hex');
  const trackerSecret = readSecret(env, 'TRACKER_SECRET', stored) ?? randomBytes(32).toString('hex');
  if (stored.SESSION_SECRET !== sessionSecret || stored.TRACKER_SECRET !== trackerSecret) {
    const toStore = { ...stored };
    if (!read(env, 'SESSION_SECRET')) toStore.SESSION_SECRET = sessionSecret;
    if (!read(env, 'TRACKER_SECRET')) toStore.TRACKER_SECRET = trackerSecret;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(toStore, null, 2) + '\n', { mode: 0o600 });
  }
  return { sessionSecret, trackerSecret };
}

export function loadConfig(env: Env = process.env): Config {
  const port = readInt(env, 'PORT', 8080, 0, 65535);
  const udpPort = readInt(env, 'UDP_PORT', 6969, 0, 65535);
  const baseUrl = readBaseUrl(env, port);
  const dataDir = path.resolve(read(env, 'DATA_DIR') ?? './data');
  const logLevel = (read(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const host = read(env, 'HOST') ?? '0.0.0.0';
  if (host !== 'localhost' && isIP(host) === 0) throw new ConfigError('HOST', `must be an IP address to bind, got "${host}"`);
  const announceInterval = readInt(env, 'ANNOUNCE_INTERVAL', 1800, 60, 86400);
  const minInterval = readInt(env, 'MIN_INTERVAL', 300, 0, announceInterval);
  const credit = read(env, 'NEW_MEMBER_CREDIT_BYTES') ?? String(5 * 1024 ** 3);
  if (!/^\d+$/.test(credit)) throw new ConfigError('NEW_MEMBER_CREDIT_BYTES', `must be a whole number of bytes, got "${credit}"`);
  const secrets = loadOrCreateSecrets(dataDir, env);
  const siteName = read(env, 'SITE_NAME') ?? 'seedkeep';
  const databaseUrl = readDatabaseUrl(env);
  const shared = readShared(env, databaseUrl);
  // processes sharing swarms must also share catalog changes; the embedded database has one process
  const catalogNotify = readBool(env, 'CATALOG_NOTIFY', shared.redisUrl !== '' && databaseUrl !== '');
  if (catalogNotify && databaseUrl === '') throw new ConfigError('CATALOG_NOTIFY', 'needs DATABASE_URL: the embedded database belongs to one process');
  return {
    port,
    udpPort,
    udpEnabled: readBool(env, 'UDP_ENABLED', true),
    host,
    baseUrl,
    udpHost: read(env, 'UDP_HOST') ?? new URL(baseUrl).hostname,
    dataDir,
    databaseUrl,
    catalogNotify,
    ...shared,
    ...secrets,
    trustedProxies: readTrustedProxies(env),
    logLevel: logLevel as Config['logLevel'],
    siteName,
    announceInterval,
    minInterval,
    flushIntervalMs: readInt(env, 'FLUSH_INTERVAL_MS', 1000, 50, 600_000),
    countsIntervalMs: readInt(env, 'COUNTS_INTERVAL_MS', 15_000, 50, 3_600_000),
    peerRetentionDays: readInt(env, 'PEER_RETENTION_DAYS', 7, 1, 365),
    maxPendingDeltas: readInt(env, 'MAX_PENDING_DELTAS', 1_000_000, 1000, 100_000_000),
    newMemberCredit: BigInt(credit),
    maxTorrentBytes: readInt(env, 'MAX_TORRENT_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    smtpUrl: readSmtpUrl(env),
    mailFrom: readMailFrom(env, baseUrl, siteName),
    pretty: readBool(env, 'LOG_PRETTY', false),
    metricsPort: readInt(env, 'METRICS_PORT', 0, 0, 65535),
    metricsToken: readMetricsToken(env),
  };
}

/** A config for tests: an isolated data dir, quiet logs, ephemeral ports. */
export function testConfig(overrides: Partial<Config> & { dataDir: string }): Config {
  const base = loadConfig({
    DATA_DIR: overrides.dataDir,
    PORT: '0',
    UDP_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    SESSION_SECRET: 's'.repeat(64),
    TRACKER_SECRET: 't'.repeat(64),
  });
  return { ...base, ...overrides };
}
