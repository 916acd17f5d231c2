import { createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FISCAL_KEY_FILE_NAME, loadFiscalSigningKey, replaceFiscalSigningKey } from '../../../main/agent/fiscal-key';
import { ownerOnlyFile } from '../../../main/agent/secret-store';
import { TillError } from '../../../main/core/errors';
import { minor } from '../../../main/core/money';
import { openDb } from '../../../main/store';
import { verifyFiscalSignatures } from '../../../main/store/fiscal-verify';
import { commitSale, countEntries, refundSale, voidSale } from '../../../main/store/ledger';
import { tempDir } from '../../helpers/temp-dir';
import { NOW, openTill, sampleReceipt, TILL } from '../ledger/fixtures';

type SigRow = { sale_id: number; chain_seq: number; trans_date: string; trans_time: string; previous_signature: string; signature: string; key_version: number; sale_no: number; net_minor: number; vat_minor: number; receipt_id: string };

function signatures(db: Database.Database): SigRow[] {
  return db
    .prepare('SELECT f.*, s.sale_no, s.net_minor, s.vat_minor, s.receipt_id FROM fiscal_signatures f JOIN sales s ON s.id = f.sale_id ORDER BY f.chain_seq')
    .all() as SigRow[];
}

const amount = (m: number): string => `${m < 0 ? '-' : ''}${Math.floor(Math.abs(m) / 100)}.${String(Math.abs(m) % 100).padStart(2, '0')}`;

function sellThree(db: ReturnType<typeof openTill>['db']): void {
  const sale = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'r1' }, NOW);
  commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'card', amount: minor(8947), terminalRef: 'T-1' }], ruleSetVersion: 'r1' }, new Date(NOW.getTime() + 60_000));
  voidSale(db, { till: TILL, receiptId: sale.entry.receiptId }, new Date(NOW.getTime() + 120_000));
  refundSale(db, { till: TILL, receiptId: 'demo-branch-till-1-000002', lines: [{ lineId: 1, quantity: 1 }], tenders: (due) => [{ kind: 'card', amount: due, terminalRef: 'T-2' }] }, new Date(NOW.getTime() + 180_000));
}

describe('fiscal signing', () => {
  it('signs every sale, void and refund in its commit, chained, verifiable with the public key alone', () => {
    const { db } = openTill();
    const dataDir = tempDir('till-fiscal-');
    const key = loadFiscalSigningKey(dataDir, db, ownerOnlyFile, 'Europe/Oslo', NOW);
    expect(key).toMatchObject({ version: 1, created: true });
    sellThree(db);
    const rows = signatures(db);
    expect(rows).toHaveLength(countEntries(db));
    const publicKey = createPublicKey(key.publicKeyPem);
    expect(publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    let previous = '0';
    for (const r of rows) {
      // Rebuilt by hand from the validator's format, not with the till's own helper.
      const text = `${previous};${r.trans_date};${r.trans_time};${r.sale_no};${amount(r.net_minor)};${amount(r.net_minor - r.vat_minor)}`;
      expect(r.previous_signature).toBe(previous);
      expect(verify('sha1', Buffer.from(text), publicKey, Buffer.from(r.signature, 'base64'))).toBe(true);
      previous = r.signature;
    }
    // 10:00 UTC on 2 March is 11:00 in Oslo: SAF-T times are the till's wall clock.
    expect(rows[0]).toMatchObject({ trans_date: '2026-03-02', trans_time: '11:00:00', key_version: 1 });
    expect(rows[2]?.net_minor).toBeLessThan(0);
    expect(verifyFiscalSignatures(db)).toEqual({ ok: true, signed: 4, unsignedBeforeKeys: 0 });
  });

  it('names the sale whose amount was changed in the database', () => {
    const { db, file } = openTill();
    loadFiscalSigningKey(tempDir('till-fiscal-'), db, ownerOnlyFile, 'Europe/Oslo', NOW);
    sellThree(db);
    db.close();
    const raw = new Database(file);
    raw.exec('DROP TRIGGER sales_appendOnlyUpdate');
    raw.prepare("UPDATE sales SET net_minor = net_minor - 100 WHERE receipt_id = 'demo-branch-till-1-000002'").run();
    raw.close();
    const reopened = openDb(file);
    const verdict = verifyFiscalSignatures(reopened);
    expect(verdict).toMatchObject({ ok: false, receiptId: 'demo-branch-till-1-000002', signed: 1 });
    reopened.close();
  });

  it('refuses to commit on a keyed till whose key is not loaded, and writes nothing', () => {
    const { db, file } = openTill();
    loadFiscalSigningKey(tempDir('till-fiscal-'), db, ownerOnlyFile, 'Europe/Oslo', NOW);
    db.close();
    const again = openDb(file);
    const before = countEntries(again);
    let caught: unknown;
    try {
      commitSale(again, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'r1' }, NOW);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TillError);
    expect((caught as TillError).message).toMatch(/signing key is not loaded/);
    expect(countEntries(again)).toBe(before);
  });

  it('keeps the key sealed in the data directory, reloads the same version, and makes a new version on replacement', () => {
    const { db } = openTill();
    const dataDir = tempDir('till-fiscal-');
    const first = loadFiscalSigningKey(dataDir, db, ownerOnlyFile, 'Europe/Oslo', NOW);
    const file = path.join(dataDir, FISCAL_KEY_FILE_NAME);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(db.prepare('SELECT * FROM fiscal_keys').all())).not.toMatch(/PRIVATE KEY/);
    commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'r1' }, NOW);
    const reloaded = loadFiscalSigningKey(dataDir, db, ownerOnlyFile, 'Europe/Oslo', NOW);
    expect(reloaded).toMatchObject({ version: 1, created: false, fingerprint: first.fingerprint });
    const firstFile = fs.readFileSync(file);
    const second = replaceFiscalSigningKey(dataDir, db, ownerOnlyFile, 'Europe/Oslo', NOW);
    expect(second.version).toBe(2);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'r1' }, NOW);
    expect(signatures(db).map((r) => r.key_version)).toEqual([1, 2]);
    expect(verifyFiscalSignatures(db)).toMatchObject({ ok: true, signed: 2 });
    // An old key file restored over the newer one is refused rather than signing with a retired key.
    const otherDir = tempDir('till-fiscal-');
    fs.writeFileSync(path.join(otherDir, FISCAL_KEY_FILE_NAME), firstFile, { mode: 0o600 });
    expect(() => loadFiscalSigningKey(otherDir, db, ownerOnlyFile, 'Europe/Oslo', NOW)).toThrow(/version 1, but this till already signs with version 2/);
  });
});
