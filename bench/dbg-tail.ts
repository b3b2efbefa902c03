import { readFileSync } from 'node:fs';
const [file, secs] = [process.argv[2], Number(process.argv[3])];
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let t = p.startTime; const times: number[] = [];
for (const d of p.timeDeltas) { t += d; times.push(t); }
const end = p.endTime; const from = end - secs * 1e6;
const self = new Map<string, number>(); const incl = new Map<string, number>();
let prev = times[0];
for (let i = 0; i < p.samples.length; i++) {
  const dt = (i + 1 < times.length ? times[i + 1] : end) - times[i];
  if (times[i] < from) continue;
  const n: any = byId.get(p.samples[i]);
  const name = `${n.callFrame.functionName} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`;
  self.set(name, (self.get(name) ?? 0) + dt);
  const seen = new Set<string>();
  for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
    const m: any = byId.get(id); const nm = `${m.callFrame.functionName} ${m.callFrame.url.split('/').slice(-2).join('/')}:${m.callFrame.lineNumber}`;
    if (seen.has(nm)) continue; seen.add(nm);
    incl.set(nm, (incl.get(nm) ?? 0) + dt);
  }
}
console.log('self'); for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log((v / 1000).toFixed(0).padStart(7), k);
console.log('inclusive'); for (const [k, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((v / 1000).toFixed(0).padStart(7), k);
