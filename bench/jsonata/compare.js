// Compares "name JSON" result lines of the reference and of bench_jsonata (BENCH_CHECK mode).
// usage: node compare.js REFERENCE.txt NATIVE.txt; prints each mismatch, exits 1 on any.
const fs = require('fs');
const read = (f) => new Map(fs.readFileSync(f, 'utf8').trim().split('\n').map((line) => {
  const at = line.indexOf(' ');
  return [line.slice(0, at), JSON.parse(line.slice(at + 1))];
}));
const same = (a, b) => {
  if (typeof a === 'number' && typeof b === 'number')
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length
      && a.every((x, i) => same(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return same(ka, kb) && ka.every((k) => same(a[k], b[k]));
  }
  return a === b;
};
const ref = read(process.argv[2]), nat = read(process.argv[3]);
let bad = 0;
for (const [name, want] of ref) {
  const have = nat.get(name);
  for (let i = 0; i < want.length; i++) {
    if (!have || !same(want[i], have[i])) {
      console.log(`${name}: record ${i}: reference ${JSON.stringify(want[i])}, native `
        + `${JSON.stringify(have && have[i])}`);
      bad++;
      break;
    }
  }
}
process.exit(bad ? 1 : 0);
