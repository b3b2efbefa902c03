import { summariseProfile } from './lib/profile-summary.js';
for (const f of process.argv.slice(2)) {
  const s = summariseProfile(f, 25);
  console.log(f, 'total', s.totalMs.toFixed(0));
  for (const r of s.byFunction) console.log(r.ms.toFixed(0).padStart(7), r.name);
}
