// The checks a newcomer can run on the code itself (docs/architecture.md, "The map"): files in
// src/ stay short, src/ modules import each other without cycles, the tracker core reaches no
// framework, database client or Redis, the HTTP fast path never loads the Fastify routes, and
// comments and spec names cite only what is in the repository.
//
// Type-only imports count as edges. They vanish at run time, but a cycle through types still
// ties two modules together: neither can be read, moved or changed without the other, which is
// what the rule is for. src/generated (the Prisma client, written by `npm run generate`) is not
// ours and is skipped.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = path.join(ROOT, 'src');
const GENERATED = path.join(SRC, 'generated');
const MAX_LINES = 300;

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (full === GENERATED || name === 'node_modules') continue;
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, keep));
    else if (keep(full)) out.push(full);
  }
  return out.sort();
}

const rel = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');
const sources = filesUnder(SRC, (file) => file.endsWith('.ts'));

/** `import ... from 'x'`, `import type ...`, `export ... from 'x'` and `import 'x'`, across lines. */
const IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/gm;

function specifiersOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => match[1]);
}

/** A relative specifier as the file it names (`./x.js` is `./x.ts` in the sources). */
function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, path.join(base, 'index.ts')];
  return candidates.find((candidate) => candidate.endsWith('.ts') && existsSync(candidate)) ?? null;
}

interface Module {
  packages: string[];
  imports: string[];
}

const graph = new Map<string, Module>();
for (const file of sources) {
  const specifiers = specifiersOf(file);
  const imports = specifiers.map((s) => resolve(file, s)).filter((f): f is string => f !== null);
  graph.set(file, { packages: specifiers.filter((s) => !s.startsWith('.')), imports });
}

/** Every cycle's path, one per strongly connected part reached (a small depth-first search). */
function findCycles(): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file)?.imports ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

/** The modules `entries` load, directly or through others, themselves included. */
function reachable(entries: string[]): Set<string> {
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...(graph.get(file)?.imports ?? []));
  }
  return seen;
}

describe('house rules of the code', () => {
  it('finds the modules it checks (the import parser reads this tree)', () => {
    const engine = path.join(SRC, 'tracker/core/engine.ts');
    assert.ok(sources.length > 50, `only ${sources.length} files under src/`);
    assert.ok(graph.get(engine)!.imports.includes(path.join(SRC, 'tracker/core/ledger.ts')));
    assert.ok(graph.get(path.join(SRC, 'app.ts'))!.packages.includes('fastify'));
  });

  it(`keeps every file in src/ at ${MAX_LINES} lines or fewer`, () => {
    const long = sources
      .map((file) => ({ file: rel(file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES);
    assert.deepEqual(long, [], 'split these along a real seam (docs/architecture.md lists the modules)');
  });

  it('has no import cycle among src/ modules, type-only imports included', () => {
    const cycles = findCycles().map((cycle) => cycle.map(rel).join(' -> '));
    assert.deepEqual(cycles, []);
  });

  it('keeps the tracker core free of Fastify, Prisma and Redis, through everything it loads', () => {
    const core = sources.filter((file) => rel(file).startsWith('src/tracker/core/'));
    const forbidden = /^(fastify|@fastify\/|fastify-|@prisma\/|redis|ioredis)/;
    const offenders: string[] = [];
    for (const file of reachable(core)) {
      // small shared helpers (clock, int64) are fine; the database and the web side are not
      if (/^src\/(db|web|generated)\//.test(rel(file))) offenders.push(`${rel(file)} is loaded by the core`);
      for (const specifier of specifiersOf(file)) {
        if (forbidden.test(specifier) || specifier.includes('/generated/')) offenders.push(`${rel(file)} imports ${specifier}`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('answers announces at the socket without loading the Fastify tracker routes', () => {
    const loaded = reachable([path.join(SRC, 'tracker/http/fast-path.ts')]);
    assert.equal(loaded.has(path.join(SRC, 'tracker/http/fast-path.ts')), true);
    assert.equal(loaded.has(path.join(SRC, 'tracker/http/routes.ts')), false);
  });

  it('cites in comments and spec names only what is in the repository', () => {
    // the pattern is assembled so that this file does not match it
    const outside = new RegExp(`${['STYLE', 'PROTOCOL'].map((name) => `${name}.md`).join('|')}|issue [0-9]`);
    const hits: string[] = [];
    for (const file of [...filesUnder(SRC, () => true), ...filesUnder(path.join(ROOT, 'test'), () => true)]) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (outside.test(line)) hits.push(`${rel(file)}:${i + 1}: ${line.trim()}`);
        });
    }
    assert.deepEqual(hits, []);
  });
});
