import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TILL_PORT } from '../../global-setup';
import { ConfigSchema } from '../../../main/config/schema';

function tryListen(port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(undefined)));
  });
}

// The guard behind "tests never bind a fixed port": for the whole run the till's default port is taken (by the
// run itself, or by a till on this machine), so a test that starts an agent on it fails instead of passing.
describe('the test run holds the default till port', () => {
  it('7420 is the config default, and it cannot be bound while the tests run', async () => {
    expect(ConfigSchema.parse({}).api.port).toBe(DEFAULT_TILL_PORT);
    const err = await tryListen(DEFAULT_TILL_PORT);
    expect(err?.code).toBe('EADDRINUSE');
  });
});
