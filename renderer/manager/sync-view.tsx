import { useEffect, useState } from 'preact/hooks';
import type { ManagerSync } from '../../main/api/contract';
import { formatMoney } from '../shared/money';
import { FeedbackLine, fill, formatDateTime, formatDuration, type ManagerContext, useManagerCall } from './manager-context';

/** The outbox: counts by state, the oldest undelivered, exposure, and each envelope needing attention with retry and resolve. */
export function SyncView(props: { ctx: ManagerContext }): preact.JSX.Element {
  const { ctx } = props;
  const { t, status, bridge, session } = ctx;
  const m = t.manager;
  const [view, setView] = useState<ManagerSync | undefined>(undefined);
  const [notes, setNotes] = useState<Record<number, string>>({});
  const { busy, feedback, setFeedback, call } = useManagerCall(ctx);
  const money = (n: number): string => formatMoney(n, status.currency, status.locale);
  const load = (): void => call(() => bridge.managerSync({ session }), setView);
  const q = status.queue;
  // The status event carries the queue counts: when they move, the detail is fetched again.
  useEffect(load, [q.pending, q.inFlight, q.retry, q.needsAttention, q.done]);

  const retry = (id: number): void =>
    call(
      () => bridge.managerRetry({ session, id }),
      (v) => {
        setView(v);
        setFeedback({ level: 'info', text: fill(m.retried, { id }) });
      },
    );
  const resolve = (id: number): void => {
    const note = (notes[id] ?? '').trim();
    if (note === '') {
      setFeedback({ level: 'error', text: m.resolveNoteRequired });
      document.getElementById(`note-${id}`)?.focus();
      return;
    }
    call(
      () => bridge.managerResolve({ session, id, note }),
      (v) => {
        setView(v);
        setFeedback({ level: 'info', text: fill(m.resolved, { id }) });
      },
    );
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
              <th scope="col">{m.colEnvelope}</th>
              <th scope="col">{m.colKind}</th>
              <th scope="col">{m.colReason}</th>
              <th scope="col" class="num">
                {m.colAtRisk}
              </th>
              <th scope="col">{m.colSince}</th>
              <th scope="col">{m.colActions}</th>
            </tr>
          </thead>
          <tbody>
            {view.needsAttention.map((a) => (
              <tr key={a.id} data-testid={`envelope-${a.id}`}>
                <th scope="row">
                  #{a.id} <span class="muted small">{a.ref}</span>
                </th>
                <td>{a.kind}</td>
                <td>
                  <strong>{a.reasonCode === 'rejected' ? m.reasonRejected : a.reasonCode === 'uncertain' ? m.reasonUncertain : ''}</strong>
                  <div class="small" data-testid={`reason-${a.id}`}>
                    {a.reason ?? ''}
                  </div>
                </td>
                <td class="num">{money(a.amountAtRisk)}</td>
                <td>{formatDateTime(a.since, status.locale, status.timeZone)}</td>
                <td class="envelope-actions">
                  <button type="button" disabled={busy} data-testid={`retry-${a.id}`} onClick={() => retry(a.id)}>
                    {m.retry}
                  </button>
                  <label class="sr-only" for={`note-${a.id}`}>
                    {m.resolveNote} (#{a.id})
                  </label>
                  <input
                    id={`note-${a.id}`}
                    class="note"
                    placeholder={m.resolveNote}
                    value={notes[a.id] ?? ''}
                    maxLength={500}
                    onInput={(e) => setNotes({ ...notes, [a.id]: (e.target as HTMLInputElement).value })}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') resolve(a.id);
                    }}
                  />
                  <button type="button" disabled={busy} data-testid={`resolve-${a.id}`} onClick={() => resolve(a.id)}>
                    {m.resolve}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" disabled={busy} onClick={load}>
        {m.refresh}
      </button>
    </section>
  );
}
