import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { OWNER_ONLY_FILE } from './file-modes';

/**
 * The sale-number witness: the last sale number each till (pos id) committed, kept in a small file beside the
 * database, outside it. A storage fault that cuts the database's WAL short drops the last committed sales
 * silently; the witness is what tells (docs/storage.md, "Sale numbers are never reused").
 *
 * Two fixed slots of SLOT bytes, written in turn with a generation number and a hash, one `pwrite` per commit
 * and no new disk blocks after the first (so it keeps working on a full disk). A torn write spoils at most the
 * slot being written; the other still holds the previous value. The `fdatasync` that makes it durable runs on
 * libuv's thread pool after the commit has answered (`flushSoon`): a witness behind its database is never a
 * false alarm, so it need not hold up the cashier, and waiting for a second fsync in every commit was a fifth
 * of `sale.commit.50` (docs/performance.md).
 */
const SLOT = 1024;
const SLOTS = 2;

export type Witness = { readonly generation: number; readonly saleNo: Readonly<Record<string, number>> };

const EMPTY: Witness = { generation: 0, saleNo: {} };

export function witnessPath(dbFile: string): string {
  return `${dbFile}.sale-witness`;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 16);

function parseSlot(bytes: Buffer): Witness | undefined {
  const text = bytes.toString('utf8').trimEnd();
  const m = /^(\d+) ([0-9a-f]{16}) (\{.*\})$/.exec(text);
  if (!m || digest(`${m[1]} ${m[3]}`) !== m[2]) return undefined;
  try {
    const saleNo = JSON.parse(m[3] as string) as unknown;
    if (typeof saleNo !== 'object' || saleNo === null) return undefined;
    const out: Record<string, number> = {};
    for (const [pos, n] of Object.entries(saleNo)) if (Number.isSafeInteger(n) && (n as number) >= 0) out[pos] = n as number;
    return { generation: Number(m[1]), saleNo: out };
  } catch {
    return undefined;
  }
}

function formatSlot(w: Witness): Buffer {
  const json = JSON.stringify(w.saleNo);
  const line = `${w.generation} ${digest(`${w.generation} ${json}`)} ${json}`;
  if (Buffer.byteLength(line) > SLOT - 1) throw new RangeError('sale witness: too many tills in one database');
  return Buffer.from(line.padEnd(SLOT - 1, ' ') + '\n');
}

/** The newest readable slot; an absent or unreadable file is an empty witness (nothing to compare with). */
export function readWitness(file: string): Witness {
  try {
    return newestSlot(fs.readFileSync(file));
  } catch {
    return EMPTY;
  }
}

function newestSlot(bytes: Buffer): Witness {
  let best = EMPTY;
  for (let i = 0; i < SLOTS; i++) {
    const w = parseSlot(bytes.subarray(i * SLOT, (i + 1) * SLOT));
    if (w && w.generation > best.generation) best = w;
  }
  return best;
}

/**
 * Raises the witness of `posId` to `saleNo` (never lowers it: two processes committing on one database merge).
 * Called after the commit is on disk, so the witness is never ahead of a database that kept its data; durable
 * moments later (`flushSoon`).
 */
export function raiseWitness(file: string, posId: string, saleNo: number): void {
  let fd: number;
  let fresh = false;
  try {
    fd = fs.openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    fd = fs.openSync(file, 'w+', OWNER_ONLY_FILE);
    fresh = true;
  }
  try {
    let current = EMPTY;
    if (!fresh) {
      const bytes = Buffer.alloc(SLOT * SLOTS);
      current = newestSlot(bytes.subarray(0, fs.readSync(fd, bytes, 0, bytes.length, 0)));
    }
    if ((current.saleNo[posId] ?? 0) >= saleNo) return;
    const next: Witness = { generation: current.generation + 1, saleNo: { ...current.saleNo, [posId]: saleNo } };
    const index = next.generation % SLOTS;
    const slot = formatSlot(next);
    if (fresh) {
      // A new file gets both slots at once, so its blocks are allocated here and never again.
      const slots = Array.from({ length: SLOTS }, (_, i) => (i === index ? slot : formatSlot(EMPTY)));
      fs.writeSync(fd, Buffer.concat(slots), 0, SLOT * SLOTS, 0);
      // A new file's directory entry is made durable by the flush's fsync of the file on the file systems the
      // till runs on (ext4, APFS, NTFS journal their metadata with it).
    } else {
      fs.writeSync(fd, slot, 0, SLOT, index * SLOT);
    }
  } finally {
    fs.closeSync(fd);
  }
  flushSoon(file);
}

/** Files with a flush in flight; `true` when written again since it started (one more flush follows). */
const flushing = new Map<string, boolean>();

/**
 * `fdatasync` of the witness on the thread pool, one at a time per file: writes made while one runs are covered by
 * the next. Opened read-write because Windows flushes only a handle with write access. A failure leaves the
 * witness to the kernel's own write-back: behind at worst, never ahead.
 */
function flushSoon(file: string): void {
  if (flushing.has(file)) {
    flushing.set(file, true);
    return;
  }
  flushing.set(file, false);
  const done = (): void => {
    const again = flushing.get(file) === true;
    flushing.delete(file);
    if (again) flushSoon(file);
  };
  fs.open(file, 'r+', (openErr, fd) => {
    if (openErr) return done();
    fs.fdatasync(fd, () => fs.close(fd, done));
  });
}

/**
 * Resolves once every witness write so far is flushed (tests, and a shutdown that wants it on disk), or after
 * `limitMs`: a stuck file system must not hold a shutdown; the write is in the OS either way.
 */
export async function witnessesFlushed(limitMs = 2_000): Promise<void> {
  const until = Date.now() + limitMs;
  while (flushing.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 1));
}
