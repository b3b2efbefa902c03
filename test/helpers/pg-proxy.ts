// A TCP proxy between the app and PostgreSQL that cuts connections at a chosen moment of a
// transaction: a real fault of the network between the tracker and its database (the
// frontend protocol is read just enough to find the simple-query `COMMIT` the driver sends).
//   'cut-before-commit'  the COMMIT is not forwarded, both sides are closed: PostgreSQL rolls
//                        the transaction back, the client sees a lost connection mid-flush;
//   'lose-commit-reply'  the COMMIT is forwarded and the client connection is cut at once, so
//                        PostgreSQL commits but its reply never reaches the client.
// Each arming applies to the next COMMIT seen on any connection.
import net from 'node:net';
import { once } from 'node:events';

export type PgFault = 'cut-before-commit' | 'lose-commit-reply';

export interface PgProxy {
  /** `target` with its host and port replaced by the proxy's */
  url: string;
  arm(fault: PgFault): void;
  /** faults applied so far */
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startPgProxy(target: string): Promise<PgProxy> {
  const to = new URL(target);
  const sockets = new Set<net.Socket>();
  const state = { armed: null as PgFault | null, cuts: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to.port || 5432), to.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    let committing = false;
    client.on('close', () => {
      if (!committing) upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
    upstream.on('data', (chunk: Buffer) => {
      if (!client.destroyed) client.write(chunk);
    });
    const reader = frontendReader((message, isCommit) => {
      const fault = isCommit ? state.armed : null;
      if (fault === null) return upstream.write(message);
      state.armed = null;
      state.cuts++;
      if (fault === 'cut-before-commit') {
        client.destroy();
        upstream.destroy();
        return;
      }
      // the server gets the COMMIT and answers it; the client is cut before any reply, so it
      // cannot know the outcome. The server's reply ends the upstream side.
      committing = true;
      upstream.removeAllListeners('data');
      upstream.once('data', () => upstream.end());
      upstream.write(message);
      client.destroy();
    });
    client.on('data', reader);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    arm(fault) {
      state.armed = fault;
    },
    get cuts() {
      return state.cuts;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Splits the client's byte stream into protocol messages: the untyped startup message
 * (length-prefixed), then typed ones (a type byte, then a length that counts itself).
 */
function frontendReader(onMessage: (message: Buffer, isCommit: boolean) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const header = started ? 5 : 4;
      if (pending.length < header) return;
      const size = started ? 1 + pending.readUInt32BE(1) : pending.readUInt32BE(0);
      if (pending.length < size) return;
      const message = pending.subarray(0, size);
      pending = pending.subarray(size);
      const isCommit = started && message[0] === 0x51 /* Q */ && message.toString('utf8', 5, size - 1).trim().toUpperCase() === 'COMMIT';
      started = true;
      onMessage(Buffer.from(message), isCommit);
    }
  };
}
