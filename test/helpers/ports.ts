// Ports for tests, asked of the OS: a test never assumes that a fixed port is free.

import { once } from 'node:events';
import net from 'node:net';

/** A loopback port that nothing listens on: bound by the OS, then released. */
export async function deadPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
