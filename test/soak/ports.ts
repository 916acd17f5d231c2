/**
 * Two free adjacent ports below the kernel's ephemeral range, for the sandbox. Offline periods close its
 * listeners; a port from the ephemeral range (what port 0 gives) can meanwhile become the local port of some
 * outgoing connection on this busy machine, and listening again then fails with EADDRINUSE. A port below the
 * range is never handed out that way.
 */
import fs from 'node:fs';
import net from 'node:net';

function ephemeralLow(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && Number.isInteger(low) && low > 2000 ? low : 32768;
  } catch {
    return 32768;
  }
}

function free(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port P with P and P + 1 free, drawn with `random` from [10000, the ephemeral range). */
export async function freePortPair(random: () => number): Promise<number> {
  const high = ephemeralLow() - 2;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 10_000 + Math.floor(random() * (high - 10_000));
    if ((await free(port)) && (await free(port + 1))) return port;
  }
  throw new Error('no two free adjacent ports below the ephemeral range');
}
