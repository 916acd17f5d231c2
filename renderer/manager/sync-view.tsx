import { useEffect, useState } from 'preact/hooks';
import type { ManagerSync } from '../../main/api/contract';
import { formatMoney } from '../shared/money';
import { FeedbackLine, fill, formatDateTime, formatDuration, type ManagerContext, useManagerCall } from './manager-context';

/**
 * The outbox: counts by state, the oldest undelivered, exposure, and each effect needing attention on its own row with
 * the till's recommendation and its actions: retry, resolve (note), or for a receipt or Loyalty transaction write off (note).
 */
export function SyncView(props: { ctx: ManagerContext }): preact.JSX.Element {
  const { ctx } = props;
  const { t, status, bridge, session } = ctx;
  const m = t.manager;
  const [view, setView] = useState<ManagerSync | undefined>(undefined);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const { busy, feedback, setFeedback, call } = useManagerCall(ctx);
  const money = (n: number): string => formatMoney(n, status.currency, status.locale);
  const load = (): void => call(() => bridge.managerSync({ session }), setView);
  const q = status.queue;
  // The status event carries the queue counts: when they move, the detail is fetched again.
  useEffect(load, [q.pending, q.inFlight, q.retry, q.needsAttention, q.done]);

  const done = (text: string) => (v: ManagerSync): void => {
    setView(v);
    setFeedback({ level: 'info', text });
  };
  const retry = (id: number, seq: number): void => call(() => bridge.managerRetry({ session, id, seq }), done(fill(m.retriedEffect, { id: `${id}.${seq}` })));
  // Resolve and write-off both need a note: the manager says how it was settled, or why it never will be.
  const settle = (id: number, seq: number, how: 'resolve' | 'write_off'): void => {
    const key = `${id}.${seq}`;
    const note = (notes[key] ?? '').trim();
    if (note === '') {
      setFeedback({ level: 'error', text: how === 'resolve' ? m.resolveNoteRequired : m.writeOffNoteRequired });
      document.getElementById(`note-${id}-${seq}`)?.focus();
      return;
    }
    if (how === 'resolve') call(() => bridge.managerResolve({ session, id, seq, note }), done(fill(m.resolvedEffect, { id: key })));
    else call(() => bridge.managerWriteOff({ session, id, seq, note }), done(fill(m.wroteOff, { id: key })));
  };

  if (!view) return <p aria-busy="true">{t.loading}</p>;
  const c = view.counts;
  return (
    <section aria-labelledby="sync-title" class="manager-view" data-testid="manager-sync">
      <h2 id="sync-title">{m.sync}</h2>
      <FeedbackLine feedback={feedback} testId="sync-feedback" />
      <div class="manager-cards">
        <section class="card" aria-labelledby="queue-title">
          <h3 id="queue-title">{m.queueByState}</h3>
          <dl class="facts">
            {(
              [
                [m.statePending, c.pending, 'pending'],
                [m.stateInFlight, c.inFlight, 'in-flight'],
                [m.stateRetry, c.retry, 'retry'],
                [m.stateAttention, c.needsAttention, 'needs-attention'],
                [m.stateDone, c.done, 'done'],
              ] as const
            ).map(([label, n, id]) => (
              <div key={id}>
                <dt>{label}</dt>
                <dd data-testid={`count-${id}`}>{n}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section class="card" aria-labelledby="exposure-title">
          <h3 id="exposure-title">{m.openExposure}</h3>
          <dl class="facts">
            <div>
              <dt>{m.oldestPending}</dt>
              <dd data-testid="oldest-pending">{view.oldestPendingAgeMs === null ? m.none : formatDuration(view.oldestPendingAgeMs, status.locale)}</dd>
            </div>
            <div>
              <dt>{m.exposure}</dt>
              <dd data-testid="exposure">{money(view.exposure)}</dd>
            </div>
            <div>
              <dt>{m.openExposure}</dt>
              <dd data-testid="open-exposure">{money(view.openExposure)}</dd>
            </div>
          </dl>
        </section>
      </div>
      <h3>{m.attentionTitle}</h3>
      {view.needsAttention.length === 0 ? (
        <p class="muted" data-testid="attention-empty">
          {m.attentionEmpty}
        </p>
      ) : (
        <table class="manager-table" data-testid="attention-table">
          <thead>
            <tr>
              <th scope="col">{m.colEffect}</th>
              <th scope="col">{m.colKind}</th>
              <th scope="col">{m.colReason}</th>
              <th scope="col" class="num">
                {m.colAtRisk}
              </th>
              <th scope="col">{m.colSince}</th>
              <th scope="col">{m.colRecommended}</th>
              <th scope="col">{m.colActions}</th>
            </tr>
          </thead>
          <tbody>
            {view.needsAttention.flatMap((a) =>
              a.effects.map((e) => {
                const key = `${a.id}.${e.seq}`;
                const tid = `${a.id}-${e.seq}`;
                const mark = (action: string): string | undefined => (e.action === action ? 'recommended' : undefined);
                return (
                  <tr key={key} data-testid={`effect-${tid}`}>
                    <th scope="row">
                      {key} <span class="muted small">{a.ref}</span>
                    </th>
                    <td>{e.kind}</td>
                    <td>
                      <strong>{e.reasonCode === 'rejected' ? m.reasonRejected : e.reasonCode === 'uncertain' ? m.reasonUncertain : ''}</strong>
                      <div class="small" data-testid={`reason-${tid}`}>
                        {e.reason ?? ''}
                      </div>
                    </td>
                    <td class="num">{money(e.amountAtRisk)}</td>
                    <td>{formatDateTime(a.since, status.locale, status.timeZone)}</td>
                    <td data-testid={`recommended-${tid}`} data-action={e.action}>
                      <strong>{m.recommendedActions[e.action] ?? e.action}</strong>
                      <div class="small">{e.recommendation ?? ''}</div>
                    </td>
                    <td class="envelope-actions">
                      {e.action === 'wait' ? null : (
                        <>
                          <button type="button" class={mark('retry')} disabled={busy} data-testid={`retry-${tid}`} onClick={() => retry(a.id, e.seq)}>
                            {m.retry}
                          </button>
                          <label class="sr-only" for={`note-${tid}`}>
                            {m.resolveNote} ({key})
                          </label>
                          <input
                            id={`note-${tid}`}
                            class="note"
                            placeholder={m.resolveNote}
                            value={notes[key] ?? ''}
                            maxLength={500}
                            onInput={(ev) => setNotes({ ...notes, [key]: (ev.target as HTMLInputElement).value })}
                          />
                          {/* A receipt or Loyalty transaction can never be resolved away: retried, or written off. */}
                          {e.mandated ? (
                            <button type="button" class={mark('write_off')} disabled={busy} data-testid={`write-off-${tid}`} onClick={() => settle(a.id, e.seq, 'write_off')}>
                              {m.writeOff}
                            </button>
                          ) : (
                            <button type="button" class={mark('resolve')} disabled={busy} data-testid={`resolve-${tid}`} onClick={() => settle(a.id, e.seq, 'resolve')}>
                              {m.resolve}
                            </button>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
      )}
      <button type="button" disabled={busy} onClick={load}>
        {m.refresh}
      </button>
    </section>
  );
}
