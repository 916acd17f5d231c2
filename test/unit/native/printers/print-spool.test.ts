import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../../../main/core/clock';
import { decodeEscPos } from '../../../../native/printers/escpos-decoder';
import { FakePrinter } from '../../../../native/printers/fake-printer';
import { DRAWER_OPEN_GRACE_MS, InMemoryPrintJobQueue, PrintSpoolWorker, printPlan, type SpoolOutcome } from '../../../../native/printers/print-spool';
import { SAMPLE_OPTIONS, SAMPLE_RECEIPT } from './sample-receipt';

function movableClock(startIso = '2026-03-14T12:00:00Z'): Clock & { advance(ms: number): void } {
  let t = new Date(startIso).getTime();
  return { now: () => new Date(t), advance: (ms) => (t += ms) };
}

const retry = { notReadyMs: 3_000, initialMs: 1_000, maxMs: 8_000 };
const printer = new FakePrinter();

/** The receipts on the paper: split the recording at each cut, decode each piece. */
function receipts(p: FakePrinter): string[][] {
  return p.recording.map((b) => decodeEscPos(b).text.map((t) => t.trim()));
}

function setup() {
  const clock = movableClock();
  const queue = new InMemoryPrintJobQueue(clock);
  const worker = new PrintSpoolWorker({ queue, transport: printer, clock, layout: SAMPLE_OPTIONS, retry });
  return { clock, queue, worker };
}

afterEach(() => {
  printer.reset();
  vi.useRealTimers();
});

describe('PrintSpoolWorker', () => {
  it('prints a pending job once, with the drawer kick, and then is idle', async () => {
    const { queue, worker } = setup();
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT, openDrawer: true });
    expect(await worker.runOnce()).toEqual({ kind: 'printed', jobId: 'j1', copy: false });
    expect(await worker.runOnce()).toEqual({ kind: 'idle' });
    expect(queue.get('j1')).toMatchObject({ state: 'printed', printedCount: 1 });
    expect(printer.recording).toHaveLength(1);
    const printed = decodeEscPos(printer.bytes());
    expect(printed.events.filter((e) => e.type === 'pulse')).toHaveLength(1);
    expect(printed.text.map((t) => t.trim())).not.toContain('COPY');
  });

  it('waits without writing while paper is out or the cover is open, then prints the original', async () => {
    const { clock, queue, worker } = setup();
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT, openDrawer: true });
    printer.setState({ paper: 'out' });
    const first = await worker.runOnce();
    expect(first).toMatchObject({ kind: 'waiting', jobId: 'j1', reason: expect.stringContaining('out of paper') });
    expect(await worker.runOnce()).toEqual({ kind: 'idle' }); // not due yet
    printer.setState({ coverOpen: true });
    clock.advance(retry.notReadyMs);
    expect(await worker.runOnce()).toMatchObject({ kind: 'waiting', reason: expect.stringContaining('cover') });
    expect(printer.recording).toHaveLength(0);
    printer.setState({});
    clock.advance(retry.notReadyMs);
    expect(await worker.runOnce()).toEqual({ kind: 'printed', jobId: 'j1', copy: false });
    // Nothing reached paper before, so this is the original, and the drawer opens with it.
    expect(decodeEscPos(printer.bytes()).events.some((e) => e.type === 'pulse')).toBe(true);
  });

  it('reprints a receipt interrupted mid-way whole, as COPY, without kicking the drawer again', async () => {
    const { clock, queue, worker } = setup();
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT, openDrawer: true });
    printer.failNextWrite(300);
    const failed = await worker.runOnce();
    expect(failed).toMatchObject({ kind: 'failed', interrupted: true, retryAt: new Date(clock.now().getTime() + retry.initialMs) });
    expect(queue.get('j1')).toMatchObject({ state: 'failed', mayHaveReachedPaper: true, attempts: 1 });
    clock.advance(retry.initialMs);
    expect(await worker.runOnce()).toEqual({ kind: 'printed', jobId: 'j1', copy: true });
    const [partial = [], complete = []] = receipts(printer);
    expect(partial.length).toBeLessThan(complete.length);
    expect(complete.filter((l) => l === 'COPY')).toHaveLength(2);
    expect(decodeEscPos(printer.recording[1] ?? new Uint8Array()).events.some((e) => e.type === 'pulse')).toBe(false);
  });

  it('treats paper running out during a receipt as an interruption', async () => {
    const { clock, queue, worker } = setup();
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT });
    printer.scriptStatus({}, { paper: 'out' });
    expect(await worker.runOnce()).toMatchObject({ kind: 'failed', interrupted: true });
    clock.advance(retry.notReadyMs);
    expect(await worker.runOnce()).toMatchObject({ kind: 'waiting' });
    printer.setState({});
    clock.advance(retry.notReadyMs);
    expect(await worker.runOnce()).toEqual({ kind: 'printed', jobId: 'j1', copy: true });
    expect(queue.get('j1')?.printedCount).toBe(1);
  });

  it('backs off while the printer is unreachable, and prints the original once it is back', async () => {
    const { clock, queue, worker } = setup();
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT });
    printer.setReachable(false);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const outcome = await worker.runOnce();
      if (outcome.kind !== 'failed') throw new Error(`expected failed, got ${outcome.kind}`);
      expect(outcome.interrupted).toBe(false);
      delays.push(outcome.retryAt.getTime() - clock.now().getTime());
      clock.advance(delays.at(-1) ?? 0);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    printer.setReachable(true);
    expect(await worker.runOnce()).toEqual({ kind: 'printed', jobId: 'j1', copy: false });
  });

  it('prints when the printer does not answer status requests (status unknown)', async () => {
    const { queue, worker } = setup();
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT });
    printer.setState('no-answer');
    expect(await worker.runOnce()).toEqual({ kind: 'printed', jobId: 'j1', copy: false });
  });

  it('picks up a job a crashed worker left marked printing, and prints it as COPY', async () => {
    const { queue, clock } = setup();
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT, openDrawer: true });
    queue.markPrinting('j1'); // the crash happened after this
    const restarted = new PrintSpoolWorker({ queue, transport: printer, clock, layout: SAMPLE_OPTIONS, retry });
    expect(await restarted.runOnce()).toEqual({ kind: 'printed', jobId: 'j1', copy: true });
  });

  it('never prints a job twice; a reprint is a new job printed as COPY', async () => {
    const { queue, worker } = setup();
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT, openDrawer: true });
    await worker.runOnce();
    expect(() => queue.markPrinting('j1')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    queue.requestReprint('j1', 'j1-r1');
    expect(await worker.runOnce()).toEqual({ kind: 'printed', jobId: 'j1-r1', copy: true });
    expect(await worker.runOnce()).toEqual({ kind: 'idle' });
    expect(printer.recording).toHaveLength(2);
    expect(decodeEscPos(printer.recording[1] ?? new Uint8Array()).events.some((e) => e.type === 'pulse')).toBe(false);
  });

  it('prints jobs in the order they were queued', async () => {
    const { queue, worker } = setup();
    for (const id of ['a', 'b', 'c']) queue.enqueue({ id, receipt: { ...SAMPLE_RECEIPT, receiptId: id } });
    const order: string[] = [];
    for (let o = await worker.runOnce(); o.kind === 'printed'; o = await worker.runOnce()) order.push(o.jobId);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('runs as a loop with timers: retries when due and wakes for new work', async () => {
    vi.useFakeTimers();
    const clock: Clock = { now: () => new Date(Date.now()) };
    const queue = new InMemoryPrintJobQueue(clock);
    const outcomes: SpoolOutcome[] = [];
    const worker = new PrintSpoolWorker({ queue, transport: printer, clock, layout: SAMPLE_OPTIONS, retry, pollMs: 60_000, onOutcome: (o) => outcomes.push(o) });
    printer.setState({ paper: 'out' });
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT });
    worker.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes.map((o) => o.kind)).toEqual(['waiting']);
    printer.setState({});
    await vi.advanceTimersByTimeAsync(retry.notReadyMs);
    expect(outcomes.map((o) => o.kind)).toEqual(['waiting', 'printed', 'idle']);
    queue.enqueue({ id: 'j2', receipt: SAMPLE_RECEIPT });
    worker.wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(outcomes.map((o) => o.kind).slice(3)).toEqual(['printed', 'idle']);
    await worker.stop();
    expect(printer.isOpen).toBe(false);
  });
});

describe('PrintSpoolWorker drawer watch (drawer closed, docs/fiscal-no.md)', () => {
  it('after a kick reads the drawer while idle and reports the close once, after it read open', async () => {
    const clock = movableClock();
    const queue = new InMemoryPrintJobQueue(clock);
    let closes = 0;
    const worker = new PrintSpoolWorker({ queue, transport: printer, clock, layout: SAMPLE_OPTIONS, retry, onDrawerClosed: () => closes++ });
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT, openDrawer: true });
    // Read before the receipt (closed), after it (not open yet), then open for two polls, then shut.
    printer.scriptStatus({ drawerOpen: false }, { drawerOpen: false }, { drawerOpen: true }, { drawerOpen: true }, { drawerOpen: false });
    expect(await worker.runOnce()).toMatchObject({ kind: 'printed' });
    expect(closes).toBe(0);
    await worker.runOnce();
    await worker.runOnce();
    expect(closes).toBe(0);
    await worker.runOnce();
    expect(closes).toBe(1);
    // Shut: the watch is over, nothing more is read or reported.
    const reads = printer.statusReads;
    await worker.runOnce();
    expect(printer.statusReads).toBe(reads);
    expect(closes).toBe(1);
  });

  it('stops watching a drawer that never reads open (no sensor) after the grace time, and reports nothing', async () => {
    const clock = movableClock();
    const queue = new InMemoryPrintJobQueue(clock);
    let closes = 0;
    const worker = new PrintSpoolWorker({ queue, transport: printer, clock, layout: SAMPLE_OPTIONS, retry, onDrawerClosed: () => closes++ });
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT, openDrawer: true });
    printer.setState({ drawerOpen: false });
    await worker.runOnce();
    await worker.runOnce();
    const reads = printer.statusReads;
    expect(reads).toBe(3);
    clock.advance(DRAWER_OPEN_GRACE_MS + 1);
    await worker.runOnce();
    expect(printer.statusReads).toBe(reads + 1);
    await worker.runOnce();
    expect(printer.statusReads).toBe(reads + 1);
    expect(closes).toBe(0);
  });

  it('a receipt without a kick starts no watch; a drawer opened by hand and seen open is reported when shut', async () => {
    const clock = movableClock();
    const queue = new InMemoryPrintJobQueue(clock);
    let closes = 0;
    const worker = new PrintSpoolWorker({ queue, transport: printer, clock, layout: SAMPLE_OPTIONS, retry, onDrawerClosed: () => closes++ });
    queue.enqueue({ id: 'j1', receipt: SAMPLE_RECEIPT, openDrawer: false });
    printer.setState({ drawerOpen: false });
    await worker.runOnce();
    const reads = printer.statusReads;
    await worker.runOnce();
    expect(printer.statusReads).toBe(reads);
    // Opened with a key while the next receipt prints: seen open, watched, and its close reported.
    queue.enqueue({ id: 'j2', receipt: SAMPLE_RECEIPT, openDrawer: false });
    printer.scriptStatus({ drawerOpen: true }, { drawerOpen: true }, { drawerOpen: false });
    await worker.runOnce();
    await worker.runOnce();
    expect(closes).toBe(1);
  });
});

describe('printPlan', () => {
  const base = { id: 'x', receipt: SAMPLE_RECEIPT, openDrawer: true, reprint: false, mayHaveReachedPaper: false, attempts: 0 };
  it('is the original with the drawer on a first attempt', () => {
    expect(printPlan(base)).toEqual({ copy: false, openDrawer: true });
  });
  it('is a copy without the drawer when bytes may have reached the printer, or for a reprint', () => {
    expect(printPlan({ ...base, mayHaveReachedPaper: true })).toEqual({ copy: true, openDrawer: false });
    expect(printPlan({ ...base, reprint: true })).toEqual({ copy: true, openDrawer: false });
  });
});
