import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { minor } from '../../../main/core/money';
import { buildSaleEntry, planEnvelope, type SaleEntry } from '../../../main/core/sale';
import { getMeta, openDb, type WritableDb } from '../../../main/store';
import { atRestKeyReport, lostKeyWarning } from '../../../main/store/at-rest-keys';
import { putBalance } from '../../../main/store/balance-cache';
import { cachedCustomerById, cachedCustomerByHash } from '../../../main/store/customer-cache';
import { payloadForDelivery } from '../../../main/store/effect-payload-at-rest';
import { appendJournal, verifyJournal } from '../../../main/store/journal';
import { findEntry, openBusinessDay, openShift, voidSale } from '../../../main/store/ledger';
import { LookupHasher } from '../../../main/store/lookup-hash';
import { cachedMemberByKey, cachedMemberByPhoneHash } from '../../../main/store/member-cache';
import { storedBaskets } from '../../../main/store/open-baskets';
import { listEffects } from '../../../main/store/outbox';
import { tempDir } from '../../helpers/temp-dir';
import { NOW, sampleReceipt, TILL } from '../ledger/fixtures';

/**
 * Migration 0220 on a database as an older agent left it: the lookup key in `agent_meta`, whole customer profiles
 * in the caches, and a gift card's token in clear in a sale's tender row, its document, its outbox payload and an
 * open basket. Rows are written with plain SQL at schema 219, the way that agent wrote them.
 */

const KEY_HEX = 'ab'.repeat(32);
const TOKEN = 'GCOLD00012345678';
const PHONE = '+4799887766';
const BIRTHDAY = '1961-07-14';

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A gift-card sale committed the pre-0220 way: token in the document, the tender row and the outbox payload. */
function oldGiftCardSale(db: WritableDb): SaleEntry {
  openBusinessDay(db, NOW);
  const shiftId = openShift(db, 'anna', minor(0), NOW);
  const receipt = sampleReceipt();
  const entry = buildSaleEntry(
    { receiptId: 'demo-branch-till-1-000001', saleNo: 1, branchId: TILL.branchId, posId: TILL.posId, operatorId: 'anna', currency: 'NOK', purchaseAt: NOW.toISOString(), ruleSetVersion: 'r1' },
    { receipt, tenders: [{ kind: 'gift_card', amount: minor(receipt.net_amount), cardToken: TOKEN }] },
  );
  const doc = JSON.stringify(entry);
  db.transaction(() => {
    const saleId = Number(
      db
        .prepare(
          `INSERT INTO sales (branch_id, pos_id, sale_no, receipt_id, kind, state, business_day_id, shift_id, operator_id, currency, gross_minor, discount_minor,
             net_minor, vat_minor, tendered_minor, change_minor, rule_set_version, purchase_at, document_json, document_sha256)
           VALUES (?, ?, 1, ?, 'sale', 'completed', 1, ?, 'anna', 'NOK', ?, ?, ?, ?, ?, 0, 'r1', ?, ?, ?)`,
        )
        .run(TILL.branchId, TILL.posId, entry.receiptId, shiftId, entry.totals.gross, entry.totals.discount, entry.totals.net, entry.totals.vatTotal, entry.tendered, entry.purchaseAt, doc, sha256(doc)).lastInsertRowid,
    );
    db.prepare("INSERT INTO sale_tenders (sale_id, tender_index, kind, amount_minor, applied_minor, reference) VALUES (?, 0, 'gift_card', ?, ?, ?)").run(saleId, entry.totals.net, entry.totals.net, TOKEN);
    db.prepare('INSERT INTO sale_counters (pos_id, last_sale_no) VALUES (?, 1)').run(TILL.posId);
    appendJournal(db, 'sale', { receiptId: entry.receiptId, saleNo: 1, netMinor: entry.totals.net, documentSha256: sha256(doc) }, entry.purchaseAt, saleId);
    const envelopeId = Number(db.prepare("INSERT INTO outbox_envelopes (kind, ref, ordering_key, state, created_at, updated_at) VALUES ('sale', ?, ?, 'pending', 1, 1)").run(entry.receiptId, `receipt:${entry.receiptId}`).lastInsertRowid);
    planEnvelope(entry).effects.forEach((e, seq) => {
      db.prepare('INSERT INTO outbox_effects (envelope_id, seq, kind, idempotency_key, payload, amount_at_risk) VALUES (?, ?, ?, ?, ?, 0)').run(envelopeId, seq, e.kind, e.idempotencyKey, JSON.stringify(e.payload));
    });
  })();
  return entry;
}

describe('migration 0220: secrets at rest', () => {
  it('moves the lookup key out of the database, keeps every hash matching, and seals or drops what was in clear', () => {
    const dir = tempDir('till-mig-0220-');
    const file = path.join(dir, 'till.sqlite');
    const old = new LookupHasher(Buffer.from(KEY_HEX, 'hex'));
    let db = openDb(file, { migrateTo: 219 });
    db.prepare("INSERT INTO agent_meta (key, value) VALUES ('lookup_hash_key', ?)").run(KEY_HEX);
    db.prepare('INSERT INTO member_cache (membership_key, phone_hash, email_hash, body_json, points, credit, fetched_at) VALUES (?, ?, NULL, ?, 10, NULL, 1)').run(
      'mk-1',
      old.hash('phone', PHONE),
      JSON.stringify({ profile: { firstName: 'Solveig', lastName: 'Strandberg', birthday: BIRTHDAY, allowedSMS: true, gdpr: true, externalId: '4242' }, assets: [{ key: 'a', name: 'Gratis kaffe' }] }),
    );
    db.prepare('INSERT INTO customer_cache (customer_id, phone_hash, email_hash, body_json, fetched_at) VALUES (?, ?, NULL, ?, 1)').run(
      'cust-1',
      old.hash('phone', PHONE),
      JSON.stringify({ first_name: 'Solveig', last_name: 'Strandberg', date_of_birth: BIRTHDAY, marketing_consent: { sms: { consent: true } } }),
    );
    putBalance(db, 'gift_card', old.hash('gift_card', TOKEN), 7_000, 1);
    db.prepare("INSERT INTO open_baskets (slot, position, body_json, updated_at) VALUES ('open', 0, ?, 'x')").run(
      JSON.stringify({ v: 1, tenders: [{ tender: { kind: 'gift_card', amount: 100, cardToken: TOKEN } }], customer: { name: 'Solveig Strandberg' } }),
    );
    const entry = oldGiftCardSale(db);
    const documentBefore = (db.prepare('SELECT document_json FROM sales').get() as { document_json: string }).document_json;
    expect(verifyJournal(db).ok).toBe(true);
    db.close();

    db = openDb(file);
    try {
      // The key: in a 0600 file beside the database, gone from it; the old hashes still match.
      expect(getMeta(db, 'lookup_hash_key')).toBeUndefined();
      const keyFile = path.join(dir, 'lookup-hash-key');
      expect(fs.readFileSync(keyFile, 'utf8').trim()).toBe(KEY_HEX);
      expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dir, 'sealed-field-key')).mode & 0o777).toBe(0o600);
      expect(cachedMemberByPhoneHash(db, old.hash('phone', PHONE))?.membershipKey).toBe('mk-1');
      expect(cachedCustomerByHash(db, 'phone', old.hash('phone', PHONE))?.customerId).toBe('cust-1');

      // Caches: the name comes back (sealed at rest), the number stays, the rest is gone.
      expect(cachedMemberByKey(db, 'mk-1')?.body).toEqual({ profile: { externalId: '4242', firstName: 'Solveig', lastName: 'Strandberg' }, assets: [] });
      expect(cachedCustomerById(db, 'cust-1')?.body).toEqual({ first_name: 'Solveig', last_name: 'Strandberg' });
      const basket = storedBaskets(db)[0];
      expect(basket?.bodyJson).toContain(TOKEN);

      // The tender row: known by the keyed hash, the token sealed. The document and the journal: untouched.
      const tender = db.prepare('SELECT reference, card_token_sealed FROM sale_tenders').get() as { reference: string; card_token_sealed: string };
      expect(tender.reference).toBe(old.hash('gift_card', TOKEN));
      expect(tender.card_token_sealed).toMatch(/^sealed:v1:/);
      expect((db.prepare('SELECT document_json FROM sales').get() as { document_json: string }).document_json).toBe(documentBefore);
      expect(verifyJournal(db)).toMatchObject({ ok: true, entries: 4 });

      // The outbox payload: sealed at rest, opened for the connector only.
      const [drawdown] = listEffects(db, 1).filter((e) => e.kind === 'wallet_transaction');
      expect(JSON.stringify(drawdown?.payload)).not.toContain(TOKEN);
      expect(drawdown?.payload).toMatchObject({ card: '…5678' });
      expect(payloadForDelivery(db, drawdown?.payload)).toEqual({ ok: true, payload: expect.objectContaining({ token: TOKEN, type: 'drawdown' }) as unknown });

      // A void of the old sale still gives the money back to the card (the old document's token), sealed.
      const voided = voidSale(db, { till: TILL, receiptId: entry.receiptId }, NOW);
      const fund = listEffects(db, voided.envelopeId ?? -1).find((e) => e.kind === 'wallet_transaction');
      expect(payloadForDelivery(db, fund?.payload)).toEqual({ ok: true, payload: expect.objectContaining({ token: TOKEN, type: 'fund' }) as unknown });
      expect(findEntry(db, voided.entry.receiptId)?.entry.tenders[0]).toMatchObject({ kind: 'gift_card', cardToken: '…5678' });
      expect(verifyJournal(db).ok).toBe(true);
    } finally {
      db.close();
    }

    // What the migration took out is not left in the file's free pages or the WAL either.
    const bytes = Buffer.concat([fs.readFileSync(file), fs.existsSync(`${file}-wal`) ? fs.readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
    for (const gone of [KEY_HEX, BIRTHDAY, 'Gratis kaffe', 'Strandberg']) expect(bytes.includes(gone), gone).toBe(false);
  });

  it('a lost key file: the hashed caches are dropped and the till says so; a new key is made', () => {
    const dir = tempDir('till-mig-0220-lost-');
    const file = path.join(dir, 'till.sqlite');
    let db = openDb(file);
    db.prepare("INSERT INTO member_cache (membership_key, phone_hash, email_hash, body_json, points, credit, fetched_at) VALUES ('mk-1', 'h1', NULL, '{}', 1, NULL, 1)").run();
    db.close();
    const before = fs.readFileSync(path.join(dir, 'lookup-hash-key'), 'utf8');
    fs.rmSync(path.join(dir, 'lookup-hash-key'));
    db = openDb(file);
    try {
      expect(cachedMemberByPhoneHash(db, 'h1')).toBeUndefined();
      expect(cachedMemberByKey(db, 'mk-1')).toBeDefined();
      expect(fs.readFileSync(path.join(dir, 'lookup-hash-key'), 'utf8')).not.toBe(before);
      expect(lostKeyWarning(atRestKeyReport(db))).toContain('The lookup key file (lookup-hash-key) was missing: the cached phone, e-mail and gift-card lookups were dropped');
    } finally {
      db.close();
    }
  });
});
