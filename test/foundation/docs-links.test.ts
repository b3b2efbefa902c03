// The documentation stands on its own: every relative link in the repository's Markdown files
// points at a file that exists (and, with a #fragment, at a heading of it, slugged as GitHub
// does), and the README stays a newcomer's page: small, the two commands first, every
// environment variable of src/config.ts in its table.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { marked, type Token, type Tokens } from 'marked';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'data', 'generated']);

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!SKIPPED_DIRS.has(name) && !name.startsWith('.')) out.push(...markdownFiles(full));
    } else if (name.endsWith('.md')) {
      out.push(full);
    }
  }
  return out.sort();
}

/** The text a heading renders to (code spans without backticks, links without targets). */
function plainText(tokens: Token[] | undefined): string {
  let text = '';
  for (const token of tokens ?? []) {
    const children = (token as { tokens?: Token[] }).tokens;
    if (children && children.length > 0) text += plainText(children);
    else text += (token as { text?: string }).text ?? '';
  }
  return text;
}

interface Parsed {
  anchors: Set<string>;
  links: string[];
}

const parsedFiles = new Map<string, Parsed>();

function parse(file: string): Parsed {
  const cached = parsedFiles.get(file);
  if (cached) return cached;
  const slugger = new GithubSlugger();
  const parsed: Parsed = { anchors: new Set(), links: [] };
  marked.walkTokens(marked.lexer(readFileSync(file, 'utf8')), (token) => {
    if (token.type === 'heading') parsed.anchors.add(slugger.slug(plainText((token as Tokens.Heading).tokens)));
    if (token.type === 'link' || token.type === 'image') parsed.links.push((token as Tokens.Link).href);
  });
  parsedFiles.set(file, parsed);
  return parsed;
}

/** Why a link does not resolve, or null. Links with a scheme (https:, mailto:) are not ours to check. */
function brokenLink(file: string, href: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return null;
  const hash = href.indexOf('#');
  const target = hash < 0 ? href : href.slice(0, hash);
  const anchor = hash < 0 ? null : decodeURIComponent(href.slice(hash + 1));
  const resolved = target === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(target));
  if (!resolved.startsWith(ROOT)) return `${href}: points outside the repository`;
  if (!existsSync(resolved)) return `${href}: no such file`;
  if (anchor === null) return null;
  if (!resolved.endsWith('.md')) return `${href}: a fragment on a file that is not Markdown`;
  return parse(resolved).anchors.has(anchor) ? null : `${href}: no heading with that anchor`;
}

describe('documentation links', () => {
  const files = markdownFiles(ROOT);

  it('finds the README and the docs', () => {
    const names = files.map((file) => path.relative(ROOT, file));
    for (const expected of ['README.md', 'docs/protocol.md', 'docs/accounting.md', 'bench/README.md']) {
      assert.ok(names.includes(expected), `${expected} is missing`);
    }
  });

  for (const file of files) {
    it(`resolves every relative link in ${path.relative(ROOT, file)}`, () => {
      const broken = parse(file).links.map((href) => brokenLink(file, href)).filter((problem) => problem !== null);
      assert.deepEqual(broken, []);
    });
  }
});

describe('README', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it('stays under 10 KB', () => {
    assert.ok(Buffer.byteLength(readme) < 10 * 1024, `README.md is ${Buffer.byteLength(readme)} bytes`);
  });

  it('shows the two commands in its first code block', () => {
    const first = marked.lexer(readme).find((token): token is Tokens.Code => token.type === 'code');
    assert.ok(first, 'README.md has no code block');
    assert.match(first.text, /npm install && npm start/);
    assert.match(first.text, /npm test/);
  });

  it('lists every environment variable src/config.ts reads', () => {
    const config = readFileSync(path.join(ROOT, 'src/config.ts'), 'utf8');
    const variables = new Set([...config.matchAll(/read(?:Int|Bool|Secret)?\(env, '([A-Z_]+)'/g)].map((match) => match[1]));
    assert.ok(variables.size >= 20, `only ${variables.size} variables found in src/config.ts`);
    const missing = [...variables].filter((name) => !readme.includes(`| \`${name}\` |`));
    assert.deepEqual(missing, []);
  });
});
