/**
 * The audit after the drain: every committed entry on every till (read from the tills' SQLite files, read-only)
 * against what the sandbox applied, effect by effect, by idempotency key.
 *
 * For each outbox effect the till holds, the sandbox's count of applications under its key is compared with what
 * the till's outbox says: an effect the till delivered (applied or already applied) must be there exactly once;
 * one a server refused (needs attention, rejected) must not be there at all. Fewer is `lost`, more is `duplicated`.
 * What the sandbox holds that no till committed (a receipt, claim, transaction, payment or wallet transaction with
 * no entry behind it) is `duplicated` too: an effect that should not exist. Then the balances: each gift card and
 * each member's points on the sandbox must equal the start minus what the tills' ledgers took.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LookupHasher } from '../../main/store/lookup-hash';
import { openReadonlyDb } from '../../main/store';
import type { SandboxInspection } from '../../main/sandbox';
import type { TillSpec } from './till';

/**
 * `refused`: a server refused it (needs attention, rejected) and it was not applied. `held`: not sent because an
 * earlier envelope of the same customer or member needs attention (deliveries are ordered per key). Both wait for
 * a manager; neither is lost. `uncertain`: in an envelope whose payment outcome the reconcile could not decide
 * (needs attention, uncertain), for a person to settle. `unsettled`: still pending at the till although the
 * sandbox applied it once.
 */
export type EffectVerdict = 'ok' | 'lost' | 'duplicated' | 'refused' | 'uncertain' | 'held' | 'unsettled' | 'resolved';

export type TillAudit = {
  readonly posId: string;
  readonly sales: number;
  readonly voids: number;
  readonly refunds: number;
  readonly effects: number;
  readonly envelopes: Readonly<Record<string, number>>;
};

export type AuditResult = {
  readonly tills: readonly TillAudit[];
  readonly verdicts: Readonly<Record<EffectVerdict, number>>;
  /** Effects applied by the sandbox that no till committed. */
  readonly ghosts: number;
  readonly balanceMismatches: number;
  /** One line per problem (capped), naming the till, the key and what was found. */
  readonly findings: readonly string[];
  /** Envelopes refused by a server (needing attention, rejected), counted by the server's reason. */
  readonly refusals: Readonly<Record<string, number>>;
  /** The verdicts again, per effect kind (`loyalty_payment`, `receipt`, ...). */
  readonly byKind: Readonly<Record<string, Readonly<Partial<Record<EffectVerdict, number>>>>>;
  /**
   * Money effects (a loyalty `/payment` pay, a gift-card drawdown) the back end applied more than once: a member or
   * card debited twice. Also counted under `duplicated`.
   */
  readonly doubleDebits: number;
  /** Money effects the till counts as delivered (or still owes) that the back end never applied. */
  readonly lostPayments: number;
};

type EntryRow = { id: number; receipt_id: string; kind: 'sale' | 'void' | 'refund'; refers_to: string | null; member_id: string | null };
type TenderRow = { sale_id: number; tender_index: number; kind: string; applied_minor: number; reference: string | null };
type EnvelopeRow = { id: number; kind: string; ref: string; ordering_key: string; state: string; reason_code: string | null; reason: string | null };
type EffectRow = { envelope_id: number; kind: string; idempotency_key: string; payload: string; state: string; outcome: string | null; reason_code: string | null };

/** `hasher`: the till's lookup key (beside its database), which its gift-card tender rows name a card by. */
type TillData = { spec: TillSpec; entries: EntryRow[]; tenders: TenderRow[]; envelopes: EnvelopeRow[]; effects: EffectRow[]; hasher: LookupHasher | undefined };

const MAX_FINDINGS = 200;

function readTill(spec: TillSpec, dbFile: string): TillData {
  const db = openReadonlyDb(dbFile);
  const keyFile = path.join(path.dirname(dbFile), 'lookup-hash-key');
  const hasher = fs.existsSync(keyFile) ? new LookupHasher(Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'hex')) : undefined;
  try {
    return {
      spec,
      hasher,
      entries: db
        .prepare<[], EntryRow>('SELECT s.id, s.receipt_id, s.kind, o.receipt_id AS refers_to, s.member_id FROM sales s LEFT JOIN sales o ON o.id = s.refers_to_sale_id ORDER BY s.id')
        .all(),
      tenders: db.prepare<[], TenderRow>('SELECT sale_id, tender_index, kind, applied_minor, reference FROM sale_tenders').all(),
      envelopes: db.prepare<[], EnvelopeRow>('SELECT id, kind, ref, ordering_key, state, reason_code, reason FROM outbox_envelopes ORDER BY id').all(),
      effects: db.prepare<[], EffectRow>('SELECT envelope_id, kind, idempotency_key, payload, state, outcome, reason_code FROM outbox_effects ORDER BY envelope_id, seq').all(),
    };
  } finally {
    db.close();
  }
}

function add(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** A member's `/payment` pay or a gift-card drawdown: the effects that take money from someone. */
function isDebit(effect: EffectRow): boolean {
  const payload = JSON.parse(effect.payload) as { type?: string; payment?: { action?: string } };
  if (effect.kind === 'wallet_transaction') return payload.type !== 'fund';
  return effect.kind === 'loyalty_payment' && payload.payment?.action !== 'cancel';
}

/** What the sandbox shows for one effect: how many times it was applied (0, 1, or more). */
function appliedCount(effect: EffectRow, envelope: EnvelopeRow, seen: SandboxInspection, paymentsBySale: Map<string, { amount: number; cancelled: boolean; refunded: number }[]>): number {
  const payload = JSON.parse(effect.payload) as Record<string, unknown>;
  const text = (field: string): string => {
    const value = payload[field];
    return typeof value === 'string' ? value : '';
  };
  switch (effect.kind) {
    case 'discount_claim':
      return seen.claimsApplied[effect.idempotency_key] ?? 0;
    case 'claim_release': {
      const claimRef = text('claim_ref') || text('reverses');
      // A claim never applied leaves nothing to release: the release is vacuous (counted once, as done).
      if ((seen.claimsApplied[claimRef] ?? 0) === 0) return 1;
      return (seen.claimsByRef[claimRef]?.live ?? 0) === 0 ? 1 : 0;
    }
    case 'wallet_transaction':
      return seen.walletRefs[effect.idempotency_key]?.count ?? 0;
    case 'receipt':
      return seen.receiptIds.includes(envelope.ref) ? 1 : 0;
    case 'loyalty_transaction': {
      if (payload['action'] === 'cancel') {
        const original = text('reverses').replace(/:tx$/, '');
        return seen.loyaltyTransactions[original]?.cancelled ? 1 : 0;
      }
      return seen.loyaltyTransactions[envelope.ref]?.applied ?? 0;
    }
    case 'loyalty_payment': {
      const payment = payload['payment'] as { action?: string } | undefined;
      if (payment?.action === 'cancel') {
        const original = text('reverses').replace(/:pay:\d+$/, '');
        const pays = (paymentsBySale.get(original) ?? []).filter((p) => p.amount > 0);
        // A whole refund cancels the pay; a part is a cancel by confirmation code that gives back some of it.
        const amount = Math.abs(Number((payment as { amount?: unknown }).amount ?? 0));
        if (amount > 0 && pays.some((p) => !p.cancelled && p.refunded >= amount)) return 1;
        return pays.length > 0 && pays.every((p) => p.cancelled) ? 1 : 0;
      }
      return (paymentsBySale.get(envelope.ref) ?? []).filter((p) => p.amount > 0).length;
    }
    default:
      return -1;
  }
}

export type StartBalances = {
  readonly giftCards: Readonly<Record<string, { readonly token: string; readonly amount: number }>>;
  /** Each member's starting balance of `asset`, the balance the sandbox's `/payment` draws on. */
  readonly members: Readonly<Record<string, number>>;
  readonly asset: 'points' | 'credit';
};

/** The balances `expected` can be with any of the undecided payments landed: every subset of them taken off. */
export function possibleBalances(expected: number, undecided: readonly number[] = []): number[] {
  return undecided.reduce<number[]>((acc, amount) => [...acc, ...acc.map((b) => b - amount)], [expected]);
}

export function audit(tills: readonly { spec: TillSpec; dbFile: string }[], seen: SandboxInspection, start: StartBalances): AuditResult {
  const data = tills.map((t) => readTill(t.spec, t.dbFile));
  const verdicts: Record<EffectVerdict, number> = { ok: 0, lost: 0, duplicated: 0, refused: 0, uncertain: 0, held: 0, unsettled: 0, resolved: 0 };
  const findings: string[] = [];
  /** Envelopes refused by a server, counted once each, by reason. */
  const refusals = new Map<string, number>();
  const refusedEnvelopes = new Set<number>();
  const byKind = new Map<string, Partial<Record<EffectVerdict, number>>>();
  let doubleDebits = 0;
  let lostPayments = 0;
  const finding = (text: string): void => {
    if (findings.length < MAX_FINDINGS) findings.push(text);
  };
  const paymentsBySale = new Map<string, { amount: number; cancelled: boolean; refunded: number }[]>();
  for (const p of seen.payments) {
    const key = p.transactionId ?? '(none)';
    paymentsBySale.set(key, [...(paymentsBySale.get(key) ?? []), { amount: p.amount, cancelled: p.cancelled, refunded: p.refunded }]);
  }

  const committedReceipts = new Set<string>();
  const keysOfTills = new Set<string>();
  const tillAudits: TillAudit[] = [];
  for (const till of data) {
    const posId = till.spec.posId;
    const envelopesByRef = new Map<string, EnvelopeRow[]>();
    for (const e of till.envelopes) envelopesByRef.set(e.ref, [...(envelopesByRef.get(e.ref) ?? []), e]);
    const envelopeById = new Map(till.envelopes.map((e) => [e.id, e]));
    // The first envelope needing attention per ordering key: everything after it on that key waits.
    const blockedFrom = new Map<string, number>();
    for (const e of till.envelopes) if (e.state === 'needs_attention' && !blockedFrom.has(e.ordering_key)) blockedFrom.set(e.ordering_key, e.id);
    const states = new Map<string, number>();
    for (const e of till.envelopes) add(states, e.state);

    for (const entry of till.entries) {
      committedReceipts.add(entry.receipt_id);
      const envs = envelopesByRef.get(entry.receipt_id) ?? [];
      if (envs.length !== 1) {
        verdicts[envs.length === 0 ? 'lost' : 'duplicated']++;
        finding(`${posId} ${entry.kind} ${entry.receipt_id}: ${envs.length} outbox envelopes (expected 1)`);
      }
    }

    for (const effect of till.effects) {
      keysOfTills.add(effect.idempotency_key);
      const envelope = envelopeById.get(effect.envelope_id);
      if (!envelope) {
        verdicts.lost++;
        finding(`${posId} ${effect.idempotency_key}: effect without an envelope`);
        continue;
      }
      const applied = appliedCount(effect, envelope, seen, paymentsBySale);
      // Each effect has its own state (migration 0180): an effect waiting for a manager says why on itself; an
      // envelope-level reason is the fallback for rows written before effects carried one.
      const waiting = effect.state === 'needs_attention' ? (effect.reason_code ?? envelope.reason_code) : null;
      let verdict: EffectVerdict;
      if (effect.outcome === 'resolved' || effect.outcome === 'written_off') {
        verdict = 'resolved';
      } else if (effect.state === 'done') {
        verdict = applied === 1 ? 'ok' : applied === 0 ? 'lost' : 'duplicated';
      } else if (waiting === 'rejected') {
        // Refused by a server: it must not have been applied. The manager's queue shows it.
        verdict = applied === 0 ? 'refused' : 'duplicated';
        if (verdict === 'refused' && !refusedEnvelopes.has(envelope.id)) {
          refusedEnvelopes.add(envelope.id);
          // Grouped by the server's words, with receipt numbers and ids left out.
          add(refusals, (envelope.reason ?? '').replace(/[0-9a-f-]{36}|\d{4,}/g, '…').slice(0, 160));
        }
      } else if (waiting === 'uncertain' || effect.state === 'uncertain') {
        verdict = applied <= 1 ? 'uncertain' : 'duplicated';
      } else if (waiting === 'held' || (envelope.state !== 'needs_attention' && (blockedFrom.get(envelope.ordering_key) ?? Infinity) < envelope.id)) {
        verdict = applied === 0 ? 'held' : 'duplicated';
      } else {
        // Not delivered after the drain and the manager's retries: applied once is still unconfirmed at the till.
        verdict = applied === 0 ? 'lost' : applied === 1 ? 'unsettled' : 'duplicated';
      }
      const kindCounts = byKind.get(effect.kind) ?? {};
      kindCounts[verdict] = (kindCounts[verdict] ?? 0) + 1;
      byKind.set(effect.kind, kindCounts);
      if (isDebit(effect)) {
        if (applied > 1) doubleDebits++;
        if (verdict === 'lost') lostPayments++;
      }
      verdicts[verdict]++;
      if (verdict === 'lost' || verdict === 'duplicated' || verdict === 'unsettled' || verdict === 'uncertain') {
        finding(`${posId} ${effect.kind} ${effect.idempotency_key}: till says ${effect.state}/${effect.outcome ?? '-'} (envelope ${envelope.state}${envelope.reason ? `: ${envelope.reason}` : ''}), sandbox applied it ${applied} time(s)`);
      }
    }
    tillAudits.push({
      posId,
      sales: till.entries.filter((e) => e.kind === 'sale').length,
      voids: till.entries.filter((e) => e.kind === 'void').length,
      refunds: till.entries.filter((e) => e.kind === 'refund').length,
      effects: till.effects.length,
      envelopes: Object.fromEntries(states),
    });
  }

  // Effects on the sandbox that no till committed.
  let ghosts = 0;
  const ghost = (what: string): void => {
    ghosts++;
    finding(`sandbox holds ${what}, which no till committed`);
  };
  for (const id of seen.receiptIds) if (!committedReceipts.has(id)) ghost(`receipt ${id}`);
  for (const id of Object.keys(seen.loyaltyTransactions)) if (!committedReceipts.has(id)) ghost(`loyalty transaction ${id}`);
  for (const ref of Object.keys(seen.claimsApplied)) if (!keysOfTills.has(ref)) ghost(`claim ${ref}`);
  for (const ref of Object.keys(seen.walletRefs)) if (!keysOfTills.has(ref)) ghost(`wallet transaction ${ref}`);
  for (const p of seen.payments) if (p.transactionId === null || !committedReceipts.has(p.transactionId)) ghost(`payment ${p.confirmationCode} (${p.amount}) for ${p.transactionId ?? 'no sale'}`);

  // Balances: the start minus what the tills' ledgers took (a void gives it back).
  let balanceMismatches = 0;
  const takenByToken = new Map<string, number>();
  const takenByMember = new Map<string, number>();
  // Payments whose outcome the till could not decide (uncertain, or with a manager with the evidence): each may or
  // may not have moved the balance, so a balance is off only if it matches neither (docs/reliability.md).
  const undecidedByToken = new Map<string, number[]>();
  const undecidedByMember = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, key: string, amount: number): void => void m.set(key, [...(m.get(key) ?? []), amount]);
  for (const till of data) {
    const entryOf = new Map(till.entries.map((e) => [e.id, e]));
    // A gift card's tender row names it by the keyed hash of its token (issue 19 finding 4).
    const tokenOf = new Map(Object.values(start.giftCards).map((c) => [till.hasher?.hash('gift_card', c.token) ?? c.token, c.token]));
    // Only what the till delivered moves a balance: a payment refused, held or settled by hand does not.
    const delivered = new Set(till.effects.filter((f) => f.state === 'done' && f.outcome !== 'resolved').map((f) => f.idempotency_key));
    const undecided = new Set(till.effects.filter((f) => f.outcome === null && (f.state === 'uncertain' || (f.state === 'needs_attention' && f.reason_code === 'uncertain'))).map((f) => f.idempotency_key));
    for (const t of till.tenders) {
      const entry = entryOf.get(t.sale_id);
      const key = entry && `${entry.receipt_id}:pay:${t.tender_index}`;
      if (!entry || key === undefined || !(delivered.has(key) || undecided.has(key))) continue;
      const sign = entry.kind === 'sale' ? 1 : -1;
      const amount = sign * t.applied_minor;
      if (t.kind === 'gift_card' && t.reference) {
        const token = tokenOf.get(t.reference) ?? t.reference;
        if (delivered.has(key)) add(takenByToken, token, amount);
        else push(undecidedByToken, token, amount);
      }
      if (t.kind === 'loyalty' && t.reference) {
        if (delivered.has(key)) add(takenByMember, t.reference, amount);
        else push(undecidedByMember, t.reference, amount);
      }
    }
  }
  for (const [cardId, card] of Object.entries(start.giftCards)) {
    const expected = card.amount - (takenByToken.get(card.token) ?? 0);
    const actual = seen.walletBalances[cardId]?.balance;
    if (!possibleBalances(expected, undecidedByToken.get(card.token)).includes(actual ?? Number.NaN)) {
      balanceMismatches++;
      finding(`gift card ${cardId}: sandbox balance ${actual ?? 'missing'}, expected ${expected} (start ${card.amount} minus the tills' payments ${takenByToken.get(card.token) ?? 0})`);
    }
  }
  for (const [member, startBalance] of Object.entries(start.members)) {
    // Points also grow by what the member's transactions earned; credit moves only by payments.
    const earned = start.asset === 'points' ? (seen.pointsEarned[member] ?? 0) : 0;
    const paid = takenByMember.get(member) ?? 0;
    const expected = startBalance + earned - paid;
    const actual = seen.memberBalances[member]?.[start.asset];
    if (!possibleBalances(expected, undecidedByMember.get(member)).includes(actual ?? Number.NaN)) {
      balanceMismatches++;
      finding(`member ${member}: sandbox ${start.asset} ${actual ?? 'missing'}, expected ${expected} (start ${startBalance} + earned ${earned} - paid at the tills ${paid})`);
    }
  }

  return { tills: tillAudits, verdicts, ghosts, balanceMismatches, findings, refusals: Object.fromEntries(refusals), byKind: Object.fromEntries(byKind), doubleDebits, lostPayments };
}
