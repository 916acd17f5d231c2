import { TillError } from '../core/errors';
import { FIRST_PREVIOUS_SIGNATURE, localDateTime, signedText } from '../core/fiscal/signed-text';
import type { ReadableDb, WritableDb } from './db-types';
import { prepared } from './statements';

/**
 * Signs each sale, void and refund inside the transaction that commits it (docs/fiscal-no.md). The store
 * never sees the private key: whoever opens a till database for selling (the agent at start-up, the CLI)
 * attaches a signer made from the sealed key (main/agent/fiscal-key.ts). Once a till has a signing key, a commit
 * without the signer loaded is refused, so a fiscal till can never write an unsigned sale; a database that
 * never had a key (library tests, the crash test's child) commits unsigned, as before.
 */
export type FiscalSigner = {
  readonly keyVersion: number;
  /** The till's time zone: SAF-T dates and times are the local wall clock. */
  readonly timeZone: string;
  /** RSA-SHA1 over the UTF-8 text, base64. */
  sign(text: string): string;
};

const signers = new WeakMap<ReadableDb, FiscalSigner>();

export function attachFiscalSigner(db: WritableDb, signer: FiscalSigner): void {
  const key = prepared(db, 'SELECT version FROM fiscal_keys WHERE version = ?').get(signer.keyVersion);
  if (!key) throw new TillError('INTERNAL', `Signing key version ${signer.keyVersion} is not registered in this till's database.`);
  signers.set(db, signer);
}

export function fiscalSignerOf(db: ReadableDb): FiscalSigner | undefined {
  return signers.get(db);
}

export type FiscalKeyRow = { readonly version: number; readonly publicKeyPem: string; readonly fingerprint: string; readonly createdAt: string };

export function fiscalKeys(db: ReadableDb): FiscalKeyRow[] {
  return (prepared(db, 'SELECT version, public_key_pem, fingerprint, created_at FROM fiscal_keys ORDER BY version').all() as {
    version: number;
    public_key_pem: string;
    fingerprint: string;
    created_at: string;
  }[]).map((r) => ({ version: r.version, publicKeyPem: r.public_key_pem, fingerprint: r.fingerprint, createdAt: r.created_at }));
}

/** Records a key's public half; the same version again with another key is refused (a database from another till). */
export function registerFiscalKey(db: WritableDb, key: Omit<FiscalKeyRow, 'createdAt'>, now: Date): void {
  const existing = prepared(db, 'SELECT fingerprint FROM fiscal_keys WHERE version = ?').get(key.version) as { fingerprint: string } | undefined;
  if (existing) {
    if (existing.fingerprint !== key.fingerprint) {
      throw new TillError('CONFLICT', `Signing key version ${key.version} in the data directory is not the key this database recorded under that version.`, {
        fix: 'The data directory and the database belong to different tills: restore the matching signing key file.',
      });
    }
    return;
  }
  prepared(db, 'INSERT INTO fiscal_keys (version, public_key_pem, fingerprint, created_at) VALUES (?, ?, ?, ?)').run(key.version, key.publicKeyPem, key.fingerprint, now.toISOString());
}

export type SignedSale = {
  readonly saleId: number;
  readonly posId: string;
  readonly saleNo: number;
  readonly purchaseAt: string;
  readonly netMinor: number;
  readonly vatMinor: number;
  readonly currency: string;
};

/** Call inside the commit transaction, after the sale row is written. */
export function signCommittedSale(db: WritableDb, sale: SignedSale): void {
  const signer = signers.get(db);
  if (!signer) {
    if (prepared(db, 'SELECT 1 FROM fiscal_keys LIMIT 1').get()) {
      throw new TillError('INTERNAL', 'This till signs every sale, but its signing key is not loaded: nothing was committed.', {
        fix: 'Start the till with till-agent serve (or the desktop app), which loads the signing key.',
      });
    }
    return;
  }
  const last = prepared(db, 'SELECT chain_seq, signature FROM fiscal_signatures WHERE pos_id = ? ORDER BY chain_seq DESC LIMIT 1').get(sale.posId) as
    | { chain_seq: number; signature: string }
    | undefined;
  const { date, time } = localDateTime(sale.purchaseAt, signer.timeZone);
  const previousSignature = last?.signature ?? FIRST_PREVIOUS_SIGNATURE;
  const text = signedText({ previousSignature, transDate: date, transTime: time, nr: String(sale.saleNo), amountIn: sale.netMinor, amountEx: sale.netMinor - sale.vatMinor, currency: sale.currency });
  prepared(
    db,
    'INSERT INTO fiscal_signatures (sale_id, pos_id, chain_seq, trans_date, trans_time, previous_signature, signature, key_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(sale.saleId, sale.posId, (last?.chain_seq ?? 0) + 1, date, time, previousSignature, signer.sign(text), signer.keyVersion);
}
