// bittorrent-tracker's bare Server: HTTP only, open (no filter, no auth, no accounting).
// Imported by a non-literal name: the package ships no types and the tests may declare its
// Client their own way.
interface BareServer {
  on(event: string, listener: (...args: unknown[]) => void): void;
  listen(port: number, host: string, onListening: () => void): void;
  close(onClose: () => void): void;
}
type ServerClass = new (options: Record<string, unknown>) => BareServer;

const moduleName = 'bittorrent-tracker/server';
const { default: Server } = (await import(moduleName)) as { default: ServerClass };

const port = Number(process.argv[2]);
const server = new Server({ http: true, udp: false, ws: false, stats: false });
server.on('error', (error) => process.stderr.write(`error: ${(error as Error).message}\n`));
server.on('warning', () => {});
server.listen(port, '127.0.0.1', () => process.stdout.write(`READY ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
