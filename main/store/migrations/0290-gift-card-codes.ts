import type { WritableDb } from '../db-types';

/**
 * What the till knows about a gift-card code beyond its balance (docs/connectors.md, "Gift-card codes"). A Dintero
 * card code serves one transaction by default (`expires_after_transaction`, default true), so after the till draws
 * on a code, the balance it cached before says nothing about whether the code still works. `gift_card_codes` keeps,
 * per code (`key` = the keyed hash of the code, as in `balance_cache`), the state the offline limits need:
 * - `used`: the till drew on the code (online, or queued offline) and has not yet heard whether it still works;
 * - `reusable`: `wallets/info` answered the code after it was used: it survives transactions;
 * - `spent`: `wallets/info` answered 404 for it ("no details are returned for expired tokens").
 * No row: the till never drew on the code. Apart from `balance_cache`, because a 404 deletes the balance there
 * and the state must outlive it.
 */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE gift_card_codes (
      key TEXT PRIMARY KEY,
      state TEXT NOT NULL CHECK (state IN ('used', 'reusable', 'spent')),
      changed_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
  `);
}
