import type { ReadableDb } from './db-types';
import { type AttentionCode, type EffectKind, type EffectRow, type EnvelopeKind, type EnvelopeState, MANDATED_KINDS, stmt, toEffect } from './outbox-rows';

/** What the status views read (CLI `sync status`, the manager screen, the offline limits). */

/** One effect waiting for a manager (or, `checking`, for the till's own balance check). */
export type AttentionEffect = {
  /** `<envelope id>.<seq>`, as the manager names it in `sync retry/resolve/write-off`. */
  readonly id: string;
  readonly seq: number;
  readonly kind: EffectKind;
  readonly key: string;
  readonly state: 'needs_attention' | 'uncertain';
  readonly reasonCode: AttentionCode | null;
  readonly reason: string | null;
  readonly amountAtRisk: number;
  /** Receipts and Loyalty transactions: retry or write off, never resolve. */
  readonly mandated: boolean;
  /** Uncertain payments: balances read, times, codes, the verdict and the recommended action. */
  readonly evidence: unknown;
  readonly waitsFor: string | null;
};

export type AttentionItem = {
  readonly id: number;
  readonly kind: EnvelopeKind;
  readonly ref: string;
  readonly reasonCode: AttentionCode | null;
  readonly reason: string | null;
  readonly amountAtRisk: number;
  readonly since: number;
  readonly effects: readonly AttentionEffect[];
};

export type OutboxStatus = {
  readonly counts: Readonly<Record<EnvelopeState, number>>;
  /** Age in ms of the oldest envelope not yet delivered (pending, retry or in flight), or null when none. */
  readonly oldestPendingAgeMs: number | null;
  /** Envelopes with an effect waiting for a manager, each with those effects. */
  readonly needsAttention: readonly AttentionItem[];
  /** Payments whose outcome the till is checking by itself right now (balance reads a few seconds apart). */
  readonly checking: number;
  /** Sum of the value at risk (minor units) of the effects waiting for a manager. */
  readonly exposure: number;
  /** Value at risk in every effect not yet done (the till's open offline exposure), minor units. */
  readonly openExposure: number;
};

/** The till's open offline exposure: value tendered offline whose delivery is not confirmed, minor units. */
export function openOfflineExposure(db: ReadableDb): number {
  const row = stmt(
    db,
    // From outbox_effects_openAtRisk (migration 0300): only effects with an amount at risk, never their payloads.
    `SELECT COALESCE(SUM(f.amount_at_risk), 0) AS risk FROM outbox_effects f JOIN outbox_envelopes e ON e.id = f.envelope_id
      WHERE f.amount_at_risk > 0 AND f.state != 'done' AND e.state IN ('pending', 'in_flight', 'retry', 'needs_attention')`,
  ).get() as { risk: number };
  return row.risk;
}

export function outboxStatus(db: ReadableDb, now: Date): OutboxStatus {
  const counts: Record<EnvelopeState, number> = { pending: 0, in_flight: 0, retry: 0, needs_attention: 0, done: 0 };
  for (const r of stmt(db, 'SELECT state, COUNT(*) AS n FROM outbox_envelopes GROUP BY state').all() as { state: EnvelopeState; n: number }[]) {
    counts[r.state] = r.n;
  }
  const oldest = stmt(db, "SELECT MIN(created_at) AS t FROM outbox_envelopes WHERE state IN ('pending', 'retry', 'in_flight')").get() as { t: number | null };
  const rows = stmt(
    db,
    `SELECT f.*, e.kind AS env_kind, e.ref AS env_ref, e.updated_at AS env_since FROM outbox_effects f JOIN outbox_envelopes e ON e.id = f.envelope_id
      WHERE f.state IN ('needs_attention', 'uncertain') ORDER BY f.envelope_id, f.seq`,
  ).all() as (EffectRow & { env_kind: EnvelopeKind; env_ref: string; env_since: number })[];
  const items = new Map<number, { item: Omit<AttentionItem, 'effects' | 'amountAtRisk' | 'reasonCode' | 'reason'>; effects: AttentionEffect[] }>();
  let checking = 0;
  for (const r of rows) {
    if (r.state === 'uncertain') {
      checking += 1;
      continue;
    }
    const f = toEffect(r);
    let entry = items.get(r.envelope_id);
    if (!entry) {
      entry = { item: { id: r.envelope_id, kind: r.env_kind, ref: r.env_ref, since: r.env_since }, effects: [] };
      items.set(r.envelope_id, entry);
    }
    entry.effects.push({
      id: `${f.envelopeId}.${f.seq}`,
      seq: f.seq,
      kind: f.kind,
      key: f.idempotencyKey,
      state: 'needs_attention',
      reasonCode: f.reasonCode,
      reason: f.reason,
      amountAtRisk: f.amountAtRisk,
      mandated: MANDATED_KINDS.has(f.kind),
      evidence: f.evidence,
      waitsFor: f.waitsFor,
    });
  }
  const needsAttention: AttentionItem[] = [...items.values()].map(({ item, effects }) => {
    const first = effects.find((e) => e.reasonCode === 'uncertain') ?? effects.find((e) => e.reasonCode === 'rejected') ?? effects[0];
    return {
      ...item,
      reasonCode: first?.reasonCode ?? null,
      reason: first?.reason ?? null,
      amountAtRisk: effects.reduce((t, e) => t + e.amountAtRisk, 0),
      effects,
    };
  });
  return {
    counts,
    oldestPendingAgeMs: oldest.t === null ? null : Math.max(0, now.getTime() - oldest.t),
    needsAttention,
    checking,
    exposure: needsAttention.reduce((total, item) => total + item.amountAtRisk, 0),
    openExposure: openOfflineExposure(db),
  };
}
