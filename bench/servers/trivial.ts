// Node's ceiling on one core: a node:http responder that answers every request with the same
// bencoded announce reply (interval, counts, 10 compact peers), Content-Type text/plain.
import { createServer } from 'node:http';

const peers = Buffer.alloc(60, 7);
const reply = Buffer.concat([
  Buffer.from('d8:completei5e10:incompletei10e8:intervali1800e12:min intervali300e5:peers60:'),
  peers,
  Buffer.from('e'),
]);

const port = Number(process.argv[2]);
const server = createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': reply.length });
  response.end(reply);
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`READY ${port}\n`));
// Connection: close load leaves no idle sockets, so close() returns at once; --cpu-prof
// (the bench's profile section) writes its file on this exit.
process.on('SIGTERM', () => server.close(() => process.exit(0)));
