// Generates N quote records with lines (deterministic) as a JSON array.
const n = parseInt(process.argv[2] || '2000', 10);
let seed = 42;
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const stages = ['NEW', 'NEGOTIATION', 'WON', 'LOST'];
const out = [];
for (let i = 0; i < n; i++) {
  const lines = [];
  const count = 1 + Math.floor(rnd() * 6);
  for (let l = 0; l < count; l++) {
    lines.push({ sku: 'SKU-' + Math.floor(rnd() * 20), qty: 1 + Math.floor(rnd() * 5),
                 price: Math.round(rnd() * 10000) / 100 });
  }
  out.push({ id: 'Q-' + (10000 + i), stage: stages[i % 4], currency: i % 3 ? 'eur' : 'usd',
             total: lines.reduce((a, x) => a + x.qty * x.price, 0),
             createdAt: 1700000000000 + i * 3600000,
             customer: { name: 'Customer ' + i, email: 'c' + i + '@example.com' }, lines });
}
process.stdout.write(JSON.stringify(out));
