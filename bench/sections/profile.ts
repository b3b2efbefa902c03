// When seedkeep misses the HTTP target: one more run of the steady load with V8's CPU profiler
// on (the sampling profiler node --cpu-prof uses, started by signal after the seeding so
// only the load window is in it), summarised by area and by function.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { profileMarkdown, summariseProfile, type ProfileSummary } from '../lib/profile-summary.js';
import { freePort, waitForLine } from '../lib/proc.js';
import { OPEN, steadyLoad } from '../lib/load.js';
import { runWrk } from '../lib/wrk.js';
import { warmPopulation } from './http.js';
import { startSeedkeep, startTrivial } from '../servers/start.js';

export interface ProfileResult { label: string; rps: number; requests: number; summary: ProfileSummary; markdown: string }

export async function profileSeedkeep(options: { label: string; work: string; databaseUrl: string; fixtureFile: string; durationSec: number; members: number; releases: number }): Promise<ProfileResult> {
  const dir = mkdtempSync(path.join(options.work, 'profile-'));
  const profileFile = path.join(dir, 'announce.cpuprofile');
  const server = await startSeedkeep(`${options.label} profiled`, { dataDir: dir, port: freePort(), udpPort: freePort(), databaseUrl: options.databaseUrl,
    members: options.members, releases: options.releases, profileFile });
  try {
    const steady = steadyLoad(path.join(dir, 'population.txt'));
    await warmPopulation(server, options.fixtureFile, steady);
    const load = { url: server.url, fixtureFile: options.fixtureFile, load: steady, connections: 50 };
    await runWrk({ ...load, durationSec: 2 });
    server.pinned.child.kill('SIGUSR2');
    const result = await runWrk({ ...load, durationSec: options.durationSec });
    server.pinned.child.kill('SIGUSR2');
    await waitForLine(server.pinned, /PROFILED /, 30_000);
    while (!existsSync(profileFile)) await sleep(100);
    const summary = summariseProfile(profileFile);
    return { label: options.label, rps: result.rps, requests: result.requests, summary, markdown: profileMarkdown(`${options.label}, ${Math.round(result.rps)} req/s under the profiler`, summary) };
  } finally {
    await server.stop();
  }
}

/** The trivial responder under node --cpu-prof and the same load: Node's own cost per request. */
export async function profileTrivial(options: { work: string; fixtureFile: string; durationSec: number }): Promise<ProfileResult> {
  const dir = mkdtempSync(path.join(options.work, 'profile-trivial-'));
  const server = await startTrivial(freePort(), ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200']);
  let result;
  try {
    result = await runWrk({ url: server.url, fixtureFile: options.fixtureFile, load: OPEN, connections: 50, durationSec: options.durationSec });
  } finally {
    await server.stop();
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('node --cpu-prof wrote no profile');
  const summary = summariseProfile(path.join(dir, file));
  return { label: 'trivial node:http', rps: result.rps, requests: result.requests, summary, markdown: '' };
}
