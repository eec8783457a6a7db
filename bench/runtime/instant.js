// A target that answers every call at once, so the runner's own cost shows (bench/runtime).
// usage: node instant.js  -> prints "listening on http://127.0.0.1:PORT"
// GET answers [] (nothing found), POST 201 and PUT/PATCH 200 with the body plus an id;
// GET /_count tells how many shipments were created (POSTs to a path naming a shipment).
'use strict';
const http = require('http');
let next = 1;
let shipments = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const send = (status, body) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json',
                              'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (req.url === '/_count') return send(200, { shipments });
    if (req.method === 'GET') return send(200, []);
    let body = {};
    try { body = chunks.length ? JSON.parse(Buffer.concat(chunks)) : {}; } catch (e) { /* {} */ }
    if (req.method === 'POST' && /shipment/i.test(req.url)) shipments++;
    const out = { ...body, id: body.id || 'X' + next++ };
    send(req.method === 'POST' ? 201 : 200, out);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
