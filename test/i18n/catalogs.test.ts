// The catalogs (locales/<code>/*.json): every language has every text, no text is left unused, plurals
// have the forms each language needs (Intl.PluralRules: Russian one/few/many), placeholders
// match English, markup stays in the keys meant for it, and tracker refusals stay short.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LOCALES, readCatalog, type Catalog, type Locale } from '../../src/i18n/index.js';
import { REASON_CODES } from '../../src/tracker/core/reasons.js';
import { dynamicKeyFamilies } from './dynamic-keys.js';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(full, value);
    else if (value && typeof value === 'object') for (const [k, v] of flatten(value as Catalog, full)) out.set(k, v);
    else assert.fail(`${full} is neither text nor a group`);
  }
  return out;
}

const flat = new Map(LOCALES.map((locale) => [locale, flatten(readCatalog(locale))]));
const baseKey = (key: string) => key.replace(PLURAL_SUFFIX, '');
const baseKeys = (locale: Locale) => new Set([...flat.get(locale)!.keys()].map(baseKey));
const pluralBases = (locale: Locale) => new Set([...flat.get(locale)!.keys()].filter((k) => PLURAL_SUFFIX.test(k)).map(baseKey));
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]).sort();

function filesUnder(dir: string, ext: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (name !== 'generated') out.push(...filesUnder(full, ext));
    } else if (name.endsWith(ext)) out.push(full);
  }
  return out;
}

describe('message catalogs', () => {
  it('have the same texts in every language', () => {
    const english = baseKeys('en');
    for (const locale of LOCALES) {
      const keys = baseKeys(locale);
      const missing = [...english].filter((k) => !keys.has(k));
      const extra = [...keys].filter((k) => !english.has(k));
      assert.deepEqual(missing, [], `${locale} lacks ${missing.join(', ')}`);
      assert.deepEqual(extra, [], `${locale} has texts English does not: ${extra.join(', ')}`);
    }
  });

  it('give every plural the forms the language needs', () => {
    for (const locale of LOCALES) {
      const forms = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
      const keys = flat.get(locale)!;
      for (const base of pluralBases('en')) {
        for (const form of forms) assert.ok(keys.has(`${base}_${form}`), `${locale}: ${base}_${form} is missing`);
      }
      assert.deepEqual([...pluralBases(locale)].filter((b) => !pluralBases('en').has(b)), [], `${locale} has plurals English does not`);
    }
  });

  it('use the same placeholders as English', () => {
    const english = flat.get('en')!;
    for (const locale of LOCALES) {
      for (const [key, text] of flat.get(locale)!) {
        const base = baseKey(key);
        const reference = english.get(key) ?? english.get(`${base}_other`) ?? english.get(base)!;
        // a plural form may leave the count out ("one minute"), but never bring a name English lacks
        const own = placeholders(text).filter((p) => p !== 'count');
        assert.deepEqual(own, placeholders(reference).filter((p) => p !== 'count'), `${locale}: ${key}`);
      }
    }
  });

  it('keep markup to the texts named …Html', () => {
    for (const locale of LOCALES) {
      for (const [key, text] of flat.get(locale)!) {
        if (/<[a-z]/i.test(text)) assert.match(baseKey(key), /Html$/, `${locale}: ${key} has markup`);
      }
    }
  });

  it('are all used by the code or the views', () => {
    const sources = [...filesUnder('src', '.ts'), ...filesUnder('views', '.hbs')].map((file) => readFileSync(file, 'utf8')).join('\n');
    const families = dynamicKeyFamilies();
    const unused = [...baseKeys('en')].filter((key) => {
      if (families.some((family) => family.has(key))) return false;
      return !(sources.includes(`'${key}'`) || sources.includes(`"${key}"`) || sources.includes(`\`${key}\``));
    });
    assert.deepEqual(unused, [], `unused texts: ${unused.join(', ')}`);
  });

  it('hold a text for every refusal the tracker names', () => {
    for (const locale of LOCALES) for (const code of REASON_CODES) assert.ok(flat.get(locale)!.has(`tracker.${code}`), `${locale}: tracker.${code}`);
  });

  it('keep tracker refusals within 200 bytes of UTF-8, short enough for a client to show whole', () => {
    for (const locale of LOCALES) {
      for (const code of REASON_CODES) {
        const text = flat.get(locale)!.get(`tracker.${code}`)!;
        assert.ok(Buffer.byteLength(text.replace('{{param}}', ''), 'utf8') <= 200, `${locale}: tracker.${code} is ${Buffer.byteLength(text)} bytes`);
      }
    }
  });
});
