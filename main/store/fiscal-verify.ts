import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { signedText } from '../core/fiscal/signed-text';
import type { ReadableDb } from './db-types';

/**
 * Re-checks every fiscal signature against the sale row it signs: the text is rebuilt from the stored sale
 * number and amounts, so changing an amount in `sales` (not only the signature) breaks the link. Also checks
 * that each signature names the one before it and that no sale after the first signed one is unsigned.
 */
export type FiscalVerdict =
  | { readonly ok: true; readonly signed: number; readonly unsignedBeforeKeys: number }
  | { readonly ok: false; readonly signed: number; readonly receiptId: string; readonly problem: string };

type Row = {
  id: number;
  receipt_id: string;
  pos_id: string;
  sale_no: number;
  net_minor: number;
  vat_minor: number;
  currency: string;
  chain_seq: number | null;
  trans_date: string | null;
  trans_time: string | null;
  previous_signature: string | null;
  signature: string | null;
  key_version: number | null;
};

export function verifyFiscalSignatures(db: ReadableDb): FiscalVerdict {
  const keys = new Map<number, KeyObject>();
  for (const k of db.prepare('SELECT version, public_key_pem FROM fiscal_keys').all() as { version: number; public_key_pem: string }[]) {
    keys.set(k.version, createPublicKey(k.public_key_pem));
  }
  const lastOf = new Map<string, { seq: number; signature: string }>();
  let signed = 0;
  let unsignedBeforeKeys = 0;
  const rows = db
    .prepare(
      `SELECT s.id, s.receipt_id, s.pos_id, s.sale_no, s.net_minor, s.vat_minor, s.currency,
              f.chain_seq, f.trans_date, f.trans_time, f.previous_signature, f.signature, f.key_version
         FROM sales s LEFT JOIN fiscal_signatures f ON f.sale_id = s.id ORDER BY s.id`,
    )
    .iterate() as IterableIterator<Row>;
  for (const r of rows) {
    const broken = (problem: string): FiscalVerdict => ({ ok: false, signed, receiptId: r.receipt_id, problem });
    const last = lastOf.get(r.pos_id);
    if (r.signature === null || r.chain_seq === null || r.trans_date === null || r.trans_time === null || r.previous_signature === null || r.key_version === null) {
      // Sales from before the till had a key are not signed; any later unsigned sale is a gap in the chain.
      if (last) return broken('it has no fiscal signature, but earlier sales of this till are signed');
      unsignedBeforeKeys++;
      continue;
    }
    if (r.chain_seq !== (last?.seq ?? 0) + 1) return broken(`its signature is number ${r.chain_seq} of the chain, expected ${(last?.seq ?? 0) + 1}`);
    if (r.previous_signature !== (last?.signature ?? '0')) return broken('its signature does not chain to the signature of the sale before it');
    const key = keys.get(r.key_version);
    if (!key) return broken(`it was signed with key version ${r.key_version}, which this till has no public key for`);
    const text = signedText({
      previousSignature: r.previous_signature,
      transDate: r.trans_date,
      transTime: r.trans_time,
      nr: String(r.sale_no),
      amountIn: r.net_minor,
      amountEx: r.net_minor - r.vat_minor,
      currency: r.currency,
    });
    if (!verify('sha1', Buffer.from(text, 'utf8'), key, Buffer.from(r.signature, 'base64'))) {
      return broken('its signature does not match its number, time and amounts (the sale or its signature was changed)');
    }
    lastOf.set(r.pos_id, { seq: r.chain_seq, signature: r.signature });
    signed++;
  }
  return { ok: true, signed, unsignedBeforeKeys };
}
