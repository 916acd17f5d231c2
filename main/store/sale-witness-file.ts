import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { OWNER_ONLY_FILE } from './file-modes';

/**
 * The sale-number witness: the last sale number each till (pos id) committed, kept in a small file beside the
 * database, outside it. A storage fault that cuts the database's WAL short drops the last committed sales
 * silently; the witness is what tells (docs/storage.md, "Sale numbers are never reused").
 *
 * Two fixed slots of SLOT bytes, written in turn with a generation number and a hash, one `pwrite` and one
 * `fdatasync` per commit and no new disk blocks after the first (so it keeps working on a full disk). A torn
 * write spoils at most the slot being written; the other still holds the previous value.
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
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return EMPTY;
  }
  let best = EMPTY;
  for (let i = 0; i < SLOTS; i++) {
    const w = parseSlot(bytes.subarray(i * SLOT, (i + 1) * SLOT));
    if (w && w.generation > best.generation) best = w;
  }
  return best;
}

/**
 * Raises the witness of `posId` to `saleNo` (never lowers it: two processes committing on one database merge),
 * durably. Called after the commit is on disk, so the witness is never ahead of a database that kept its data.
 */
export function raiseWitness(file: string, posId: string, saleNo: number): void {
  const current = readWitness(file);
  if ((current.saleNo[posId] ?? 0) >= saleNo) return;
  const next: Witness = { generation: current.generation + 1, saleNo: { ...current.saleNo, [posId]: saleNo } };
  const fresh = !fs.existsSync(file);
  const fd = fs.openSync(file, fresh ? 'w+' : 'r+', OWNER_ONLY_FILE);
  try {
    const index = next.generation % SLOTS;
    const slot = formatSlot(next);
    if (fresh) {
      // A new file gets both slots at once, so its blocks are allocated here and never again.
      const slots = Array.from({ length: SLOTS }, (_, i) => (i === index ? slot : formatSlot(EMPTY)));
      fs.writeSync(fd, Buffer.concat(slots), 0, SLOT * SLOTS, 0);
    } else {
      fs.writeSync(fd, slot, 0, SLOT, index * SLOT);
    }
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
