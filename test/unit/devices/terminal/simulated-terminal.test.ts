import { afterEach, describe, expect, it, vi } from 'vitest';
import { minor } from '../../../../main/core/money';
import { SimulatedTerminal } from '../../../../main/devices/terminal/simulated-terminal';

describe('SimulatedTerminal', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('approves after its delay with a reference derived from the request, and records every request', async () => {
    vi.useFakeTimers();
    const terminal = new SimulatedTerminal({ delayMs: 1000 });
    let answer: unknown;
    void terminal.pay({ amount: minor(3990), currency: 'NOK', reference: 'k1-1' }).then((r) => (answer = r));
    await vi.advanceTimersByTimeAsync(999);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(answer).toEqual({ outcome: 'approved', terminalRef: 'SIM-k1-1' });
    expect(terminal.recording).toEqual([{ amount: 3990, currency: 'NOK', reference: 'k1-1' }]);
    terminal.reset();
    expect(terminal.recording).toEqual([]);
  });

  it('declines amounts ending in ,13 (the demo way to see a declined card)', async () => {
    const terminal = new SimulatedTerminal({ delayMs: 0 });
    await expect(terminal.pay({ amount: minor(4013), currency: 'NOK', reference: 'x' })).resolves.toMatchObject({ outcome: 'declined', reason: expect.stringMatching(/declined/) });
    await expect(terminal.pay({ amount: minor(4014), currency: 'NOK', reference: 'y' })).resolves.toMatchObject({ outcome: 'approved' });
  });
});
