import { useState } from 'preact/hooks';
import type { DayReportView, ManagerDay } from '../../main/api/contract';
import { formatMoney, parseAmount } from '../shared/money';
import { type Feedback, fill, type ManagerContext } from './manager-context';

type Cell = string | number;

/** One report table: a caption, a header row, the first cell of each row its header (the day view's tables). */
export function ReportSection(props: { id: string; title: string; head: readonly string[]; rows: readonly (readonly Cell[])[] }): preact.JSX.Element {
  return (
    <table class="manager-table report" data-testid={`report-${props.id}`}>
      <caption>{props.title}</caption>
      <thead>
        <tr>
          {props.head.map((h, i) => (
            <th scope="col" key={`${i}-${h}`} class={i > 0 ? 'num' : undefined}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={String(row[0])}>
            {row.map((cell, i) =>
              i === 0 ? (
                <th scope="row" key={i}>
                  {cell}
                </th>
              ) : (
                <td class="num" key={i}>
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The Norwegian rules' part of an X or Z report (kassasystemforskrifta § 2-8-2, docs/fiscal-no.md): receipts and
 * events counted with their amounts, training sales apart, sales per article group, and the drawer's cash. A
 * report stored before these were kept has no such sections, and none are shown.
 */
export function FiscalReportSections(props: { report: DayReportView; ctx: ManagerContext }): preact.JSX.Element {
  const { report: r, ctx } = props;
  const { t, status } = ctx;
  const f = t.fiscal;
  const m = t.manager;
  const money = (n: number): string => formatMoney(n, r.currency, status.locale);
  const fiscal = r.fiscal;
  const a = fiscal?.amounts;
  const withAmount = (label: string, count: number, amount: number | undefined): Cell[] => [label, count, amount === undefined ? '' : money(amount)];
  return (
    <>
      {fiscal ? (
        <ReportSection
          id="fiscal"
          title={f.countsTitle}
          head={['', m.count, m.amount]}
          rows={[
            withAmount(f.salesReceipts, fiscal.salesReceipts, undefined),
            withAmount(f.returnReceipts, fiscal.returnReceipts, undefined),
            withAmount(f.voidReceipts, fiscal.voidReceipts, undefined),
            withAmount(f.copies, a?.copies.count ?? fiscal.copies, a?.copies.amount),
            withAmount(f.provisionalReceipts, a?.provisional.count ?? fiscal.provisionalReceipts, a?.provisional.amount),
            withAmount(f.drawerOpeningsWithoutSale, fiscal.drawerOpeningsWithoutSale, undefined),
            withAmount(f.cancelledSales, a?.cancelledSales.count ?? fiscal.cancelledSales, a?.cancelledSales.amount),
            withAmount(f.corrections, a?.corrections.count ?? fiscal.lineDeletions, a?.corrections.amount),
            withAmount(f.priceChanges, fiscal.priceChanges, undefined),
            withAmount(f.priceLookups, fiscal.priceLookups, undefined),
            withAmount(f.salesWithoutReceipt, fiscal.salesWithoutReceipt, undefined),
            withAmount(f.trainingSales, fiscal.training.count, fiscal.training.net),
            ...(a ? [withAmount(f.cashWithdrawals, a.cashWithdrawals.count, a.cashWithdrawals.amount)] : []),
          ]}
        />
      ) : null}
      {fiscal && fiscal.articleGroups.length > 0 ? (
        <ReportSection id="article-groups" title={f.articleGroups} head={[f.group, m.count, m.net]} rows={fiscal.articleGroups.map((g) => [g.group, g.count, money(g.net)])} />
      ) : null}
      {r.cash ? (
        <ReportSection
          id="cash"
          title={f.cashTitle}
          head={['', m.amount]}
          rows={[
            [f.expectedCash, money(r.cash.expected)],
            [f.countedCash, r.cash.counted === null ? f.notCounted : money(r.cash.counted)],
            [f.difference, r.cash.difference === null ? '' : money(r.cash.difference)],
          ]}
        />
      ) : null}
    </>
  );
}

/**
 * The manager's fiscal controls on the day view: the training-mode switch and cash taken out of the open shift's
 * drawer (both journaled by the agent: docs/fiscal-no.md). Uses the day view's call, so one action runs at a time.
 */
export function FiscalControlsCard(props: {
  day: ManagerDay;
  ctx: ManagerContext;
  busy: boolean;
  call: <T>(promise: () => Promise<T>, onDone?: (value: T) => void) => void;
  setFeedback: (f: Feedback) => void;
  onDay: (day: ManagerDay) => void;
}): preact.JSX.Element {
  const { day, ctx, busy, call, setFeedback, onDay } = props;
  const { t, status, bridge, session } = ctx;
  const f = t.fiscal;
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const money = (n: number): string => formatMoney(n, status.currency, status.locale);
  const refresh = (): void => call(() => bridge.managerDay({ session }), onDay);
  const toggleTraining = (): void =>
    call(
      () => bridge.managerTraining({ session, on: !day.training }),
      (r) => {
        setFeedback({ level: 'info', text: fill(f.trainingChanged, { state: r.training ? f.trainingOn : f.trainingOff }) });
        refresh();
      },
    );
  const withdraw = (): void => {
    const parsed = parseAmount(amount, status.currency);
    if (parsed === undefined || parsed <= 0) {
      setFeedback({ level: 'error', text: `${f.withdrawBadAmount}: ${amount}` });
      return;
    }
    call(
      () => bridge.managerCashWithdrawal({ session, amount: parsed, ...(note.trim() ? { note: note.trim() } : {}) }),
      (r) => {
        setFeedback({ level: 'info', text: fill(f.withdrawn, { amount: money(r.amount), expected: r.expectedCash === null ? '' : money(r.expectedCash) }) });
        setAmount('');
        setNote('');
        refresh();
      },
    );
  };
  return (
    <section class="card" aria-labelledby="fiscal-controls-title" data-testid="fiscal-controls">
      <h3 id="fiscal-controls-title">{f.controlsTitle}</h3>
      <dl class="facts">
        <div>
          <dt>{f.trainingMode}</dt>
          <dd data-testid="training-state">{day.training ? f.trainingOn : f.trainingOff}</dd>
        </div>
        <div>
          <dt>{f.drawerExpected}</dt>
          <dd data-testid="expected-cash">{day.expectedCash === null ? f.noShift : money(day.expectedCash)}</dd>
        </div>
      </dl>
      <div class="button-row">
        <button type="button" disabled={busy} aria-pressed={day.training} data-testid="training-toggle" onClick={toggleTraining}>
          {day.training ? f.trainingTurnOff : f.trainingTurnOn}
        </button>
      </div>
      <form
        class="field-row"
        onSubmit={(e) => {
          e.preventDefault();
          withdraw();
        }}
      >
        <div class="field">
          <label for="withdraw-amount">{f.withdrawAmount}</label>
          <input id="withdraw-amount" inputMode="decimal" value={amount} disabled={day.shift === null} onInput={(e) => setAmount((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="withdraw-note">{f.withdrawNote}</label>
          <input id="withdraw-note" value={note} maxLength={200} disabled={day.shift === null} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" disabled={busy || day.shift === null || day.training} data-testid="withdraw-cash">
          {f.withdraw}
        </button>
      </form>
    </section>
  );
}
