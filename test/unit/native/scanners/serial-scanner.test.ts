import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SerialScanner, type SerialPortLike } from '../../../../native/scanners/serial-scanner';

/** A port double for the paths a pty cannot produce on demand: slow opens and read errors without 'close'. */
class ScriptedPort extends EventEmitter implements SerialPortLike {
  isOpen = false;
  pendingOpen: ((error: Error | null) => void) | undefined;
  closes = 0;

  open(callback: (error: Error | null) => void): void {
    this.pendingOpen = (error) => {
      this.isOpen = error === null;
      callback(error);
    };
  }

  close(callback?: (error: Error | null) => void): void {
    this.closes++;
    this.isOpen = false;
    callback?.(null);
  }
}

describe('SerialScanner with a scripted port', () => {
  let ports: ScriptedPort[];
  let scanner: SerialScanner;

  beforeEach(() => {
    vi.useFakeTimers();
    ports = [];
    scanner = new SerialScanner({
      path: '/dev/ttyFAKE',
      baudRate: 9600,
      terminator: 'CR',
      backoff: { initialMs: 100, maxMs: 100 },
      healthCheckMs: 60_000,
      createPort: () => {
        const port = new ScriptedPort();
        ports.push(port);
        return port;
      },
    });
  });

  afterEach(async () => {
    await scanner.close();
    vi.useRealTimers();
  });

  it('an open still in flight when close is called does not revive the port', async () => {
    const opening = scanner.open();
    await scanner.close();
    ports[0]?.pendingOpen?.(null);
    await opening;
    expect(scanner.status).toEqual({ state: 'disconnected', reason: 'Closed' });
    expect(ports[0]?.closes).toBe(1);
  });

  it('a read error without a close event counts as an unplug and is retried', async () => {
    const opening = scanner.open();
    ports[0]?.pendingOpen?.(null);
    await opening;
    expect(scanner.status.state).toBe('connected');
    ports[0]?.emit('error', new Error('EIO: i/o error, read'));
    expect(scanner.status.state).toBe('disconnected');
    await vi.advanceTimersByTimeAsync(100);
    expect(ports).toHaveLength(2);
    ports[1]?.pendingOpen?.(null);
    await vi.advanceTimersByTimeAsync(0);
    expect(scanner.status.state).toBe('connected');
    const seen: string[] = [];
    scanner.onDidScan((s) => seen.push(s.raw));
    ports[0]?.emit('data', Buffer.from('stale\r'));
    ports[1]?.emit('data', Buffer.from('fresh\r'));
    expect(seen).toEqual(['fresh']);
  });

  it('drops half a code that was in the buffer when the device went away', async () => {
    const opening = scanner.open();
    ports[0]?.pendingOpen?.(null);
    await opening;
    const seen: string[] = [];
    scanner.onDidScan((s) => seen.push(s.raw));
    ports[0]?.emit('data', Buffer.from('40063'));
    ports[0]?.emit('close', Object.assign(new Error('disconnected'), { disconnected: true }));
    await vi.advanceTimersByTimeAsync(100);
    ports[1]?.pendingOpen?.(null);
    await vi.advanceTimersByTimeAsync(0);
    ports[1]?.emit('data', Buffer.from('96385074\r'));
    expect(seen).toEqual(['96385074']);
  });
});
