// Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and per source
// area (seedkeep's own files by directory, node_modules by package, node internals, GC).
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface ProfileShare { name: string; ms: number; share: number }
export interface ProfileSummary { totalMs: number; byFunction: ProfileShare[]; byArea: ProfileShare[]; byGroup: ProfileShare[] }

/** Coarse groups for comparing two servers per request: Node's HTTP stack, ours, the rest. */
function groupOf(area: string): string {
  if (area.startsWith('node internals') || area === '(native / V8 builtins)') return "Node's HTTP/net stack (node internals + native)";
  if (area === '(garbage collector)') return 'garbage collector';
  if (area.startsWith('src/tracker')) return 'seedkeep tracker code (src/tracker)';
  if (area.startsWith('src/db') ) return 'seedkeep database code (src/db)';
  if (area.startsWith('wasm://') || area === '@electric-sql/pglite') return 'PGlite (Postgres in WebAssembly, main thread)';
  if (area === 'fastify' || area.startsWith('@fastify') || area === 'fast-querystring' || area === 'find-my-way' || area === 'light-my-request' || area === 'avvio' || area.startsWith('fast-')) return 'Fastify (router, hooks, reply, query parsing)';
  if (area === 'bencode' || area === 'uint8-util') return 'bencode';
  if (area === 'pg' || area.startsWith('pg-') || area.startsWith('@prisma')) return 'pg driver';
  if (area === 'pino' || area.startsWith('pino')) return 'logging';
  return 'other (program, src, other packages)';
}

function areaOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return '(garbage collector)';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  if (!url) return '(native / V8 builtins)';
  if (url.startsWith('node:')) return `node internals (${url.slice(5).split('/')[0]})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  // the compiled build (dist/, what the bench runs) is reported under the source's name
  const src = /\/(src|dist|bench)\/(.*)$/.exec(url);
  if (src) return `${src[1] === 'dist' ? 'src' : src[1]}/${src[2].replace(/\.js$/, '.ts')}`;
  return url;
}

function top(map: Map<string, number>, total: number, n: number): ProfileShare[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => ({ name, ms, share: ms / total }));
}

export function summariseProfile(file: string, n = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  const byGroup = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfMs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') continue;
    total += ms;
    const area = areaOf(frame.url, frame.functionName);
    const fn = `${frame.functionName || '(anonymous)'} ${area}:${frame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    byArea.set(area, (byArea.get(area) ?? 0) + ms);
    const group = groupOf(area);
    byGroup.set(group, (byGroup.get(group) ?? 0) + ms);
  }
  return { totalMs: total, byFunction: top(byFunction, total, n), byArea: top(byArea, total, n), byGroup: top(byGroup, total, 20) };
}

export function profileMarkdown(title: string, summary: ProfileSummary): string {
  const row = (s: ProfileShare): string => `| ${s.name.replace(/\|/g, '\\|')} | ${s.ms.toFixed(0)} | ${(s.share * 100).toFixed(1)}% |`;
  return [`#### ${title} (${(summary.totalMs / 1000).toFixed(1)} s of busy CPU)`, '', '| area (self time) | ms | share |', '|---|---|---|', ...summary.byArea.map(row),
    '', '| function (self time) | ms | share |', '|---|---|---|', ...summary.byFunction.map(row)].join('\n');
}
