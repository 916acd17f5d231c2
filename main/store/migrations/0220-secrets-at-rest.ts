import { atRestKeys } from '../at-rest-keys';
import type { WritableDb } from '../db-types';
import { payloadAtRest } from '../effect-payload-at-rest';
import { LookupHasher } from '../lookup-hash';
import { customerBodyAtRest, memberBodyAtRest } from '../personal-at-rest';
import { isSealed, sealField } from '../sealed-field';

/**
 * Personal data and gift-card numbers at rest (issue 19 findings 4 and 5, issue 15 "Secrets at rest"):
 *
 * 1. The lookup hash key leaves the database: `atRestKeys` writes `agent_meta.lookup_hash_key` to
 *    `<data-dir>/lookup-hash-key` (0600; sealed with the OS key store by the desktop app) and deletes the row, so
 *    every hash already cached keeps matching. The sealed-field key is made beside it.
 * 2. Cached members keep their membership number and their name (sealed, `personal_sealed`); cached Dintero
 *    customers their name (sealed). Birth dates, consents and the rest are dropped (main/store/personal-at-rest.ts).
 * 3. Gift-card tokens in clear are sealed: in outbox payloads (`token` -> `token_sealed`), in the open and
 *    suspended baskets (the whole body), and in `sale_tenders`, whose `reference` becomes the keyed hash of the
 *    token (what the offline limits match on) with the token sealed in the new `card_token_sealed`. The tender rows
 *    are append-only; this one rewrite lifts the trigger for its own statement and puts it back.
 *
 * Sale documents stored before this version keep their token: each one's SHA-256 is in the signed, hash-chained
 * journal, and rewriting them would break `till-agent journal verify`. From this version on they are stored with
 * the token masked (main/core/sale/entry-at-rest.ts). docs/security.md says what that leaves.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    ALTER TABLE member_cache ADD COLUMN personal_sealed TEXT;
    ALTER TABLE customer_cache ADD COLUMN personal_sealed TEXT;
    ALTER TABLE sale_tenders ADD COLUMN card_token_sealed TEXT;
  `);
  const hasher = new LookupHasher(atRestKeys(db).lookupKey);

  const members = db.prepare('SELECT membership_key, body_json FROM member_cache').all() as { membership_key: string; body_json: string }[];
  const putMember = db.prepare('UPDATE member_cache SET body_json = ?, personal_sealed = ? WHERE membership_key = ?');
  for (const m of members) {
    const body = memberBodyAtRest(db, JSON.parse(m.body_json) as Record<string, unknown>);
    putMember.run(body.bodyJson, body.personalSealed, m.membership_key);
  }
  const customers = db.prepare('SELECT customer_id, body_json FROM customer_cache').all() as { customer_id: string; body_json: string }[];
  const putCustomer = db.prepare('UPDATE customer_cache SET body_json = ?, personal_sealed = ? WHERE customer_id = ?');
  for (const c of customers) {
    const body = customerBodyAtRest(db, JSON.parse(c.body_json) as Record<string, unknown>);
    putCustomer.run(body.bodyJson, body.personalSealed, c.customer_id);
  }

  const effects = db.prepare("SELECT envelope_id, seq, kind, payload FROM outbox_effects WHERE kind = 'wallet_transaction' AND json_extract(payload, '$.token') IS NOT NULL").all() as {
    envelope_id: number;
    seq: number;
    kind: string;
    payload: string;
  }[];
  const putEffect = db.prepare('UPDATE outbox_effects SET payload = ? WHERE envelope_id = ? AND seq = ?');
  for (const e of effects) putEffect.run(JSON.stringify(payloadAtRest(db, e.kind, JSON.parse(e.payload))), e.envelope_id, e.seq);

  const baskets = db.prepare('SELECT slot, body_json FROM open_baskets').all() as { slot: string; body_json: string }[];
  const putBasket = db.prepare('UPDATE open_baskets SET body_json = ? WHERE slot = ?');
  for (const b of baskets) if (!isSealed(b.body_json)) putBasket.run(sealField(db, 'basket', b.body_json), b.slot);

  const tenders = db.prepare("SELECT sale_id, tender_index, reference FROM sale_tenders WHERE kind = 'gift_card' AND reference IS NOT NULL").all() as {
    sale_id: number;
    tender_index: number;
    reference: string;
  }[];
  if (tenders.length > 0) {
    db.exec('DROP TRIGGER sale_tenders_appendOnlyUpdate');
    const putTender = db.prepare('UPDATE sale_tenders SET reference = ?, card_token_sealed = ? WHERE sale_id = ? AND tender_index = ?');
    for (const t of tenders) putTender.run(hasher.hash('gift_card', t.reference), sealField(db, 'gift-card-token', t.reference), t.sale_id, t.tender_index);
    db.exec("CREATE TRIGGER sale_tenders_appendOnlyUpdate BEFORE UPDATE ON sale_tenders BEGIN SELECT RAISE(ABORT, 'sale tenders are append-only'); END;");
  }
}
