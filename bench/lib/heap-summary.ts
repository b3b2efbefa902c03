// Self size per object kind in a V8 heap snapshot (v8.writeHeapSnapshot): where the bytes
// per peer go. Strings are grouped by length, objects by constructor name.
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapShare { kind: string; count: number; bytes: number }

const NAMED = new Set(['object', 'array', 'closure', 'hidden', 'native']);

function kindOf(type: string, name: string): string {
  if (type.includes('string')) return `string (${Math.min(name.length, 64)} chars)`;
  if (NAMED.has(type)) return `${type} ${name.slice(0, 48) || '(anonymous)'}`;
  return type;
}

export function summariseHeap(file: string, top = 12): HeapShare[] {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const byKind = new Map<string, HeapShare>();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const kind = kindOf(types[snap.nodes[i + iType]], snap.strings[snap.nodes[i + iName]]);
    const share = byKind.get(kind) ?? { kind, count: 0, bytes: 0 };
    share.count++;
    share.bytes += snap.nodes[i + iSize];
    byKind.set(kind, share);
  }
  return [...byKind.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top);
}
