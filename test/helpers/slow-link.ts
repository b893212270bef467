import { connect, createServer, type Socket } from 'node:net';

/** A stand-in address for a service, reached through a slow link. */
export interface SlowLink {
  /** `serviceUrl` with the link's host and port in place of the service's. */
  url: string;
  close(): Promise<void>;
}

/**
 * A TCP proxy on loopback in front of a service: what a client sends is held back for
 * `delayMs` before it goes on, and what is still held when the client's connection ends is
 * dropped, as if the client had never sent it. Answers come back at once. It stands for a
 * process too slow to get its writes out, so a test can kill that process in between.
 */
export async function slowLink(serviceUrl: string, delayMs: number): Promise<SlowLink> {
  const service = new URL(serviceUrl);
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(service.port), service.hostname);
    open.add(client).add(upstream);
    const held = new Set<NodeJS.Timeout>();
    client.on('data', (chunk) => {
      const timer = setTimeout(() => {
        held.delete(timer);
        upstream.write(chunk);
      }, delayMs);
      held.add(timer);
    });
    upstream.pipe(client);
    const end = () => {
      for (const timer of held) clearTimeout(timer);
      held.clear();
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(serviceUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
