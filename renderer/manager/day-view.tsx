import { useEffect, useState } from 'preact/hooks';
import type { DayReportView, ManagerDay, ManagerReport } from '../../main/api/contract';
import { formatMoney, parseAmount } from '../shared/money';
import { FiscalControlsCard, FiscalReportSections, ReportSection } from './fiscal-report';
import { FeedbackLine, fill, formatDateTime, type ManagerContext, useManagerCall } from './manager-context';

/** Saves the CSV the agent made as a file download (a Blob URL: nothing leaves the machine). */
function download(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ReportTable(props: { report: DayReportView; ctx: ManagerContext }): preact.JSX.Element {
  const { report: r, ctx } = props;
  const { t, status } = ctx;
  const m = t.manager;
  const money = (n: number): string => formatMoney(n, r.currency, status.locale);
  return (
    <section class="card report-card" aria-labelledby="report-title" data-testid="report">
      <h3 id="report-title" tabIndex={-1}>
        {fill(m.reportFor, { kind: r.kind, date: r.day.businessDate })}
      </h3>
      <p class="muted">
        {r.day.closedAt ? fill(m.reportFinal, { at: formatDateTime(r.day.closedAt, status.locale, status.timeZone) }) : m.reportRunning} {m.generatedAt}:{' '}
        {formatDateTime(r.generatedAt, status.locale, status.timeZone)}
      </p>
      <div class="report-grid">
        <ReportSection
          id="entries"
          title={m.entries}
          head={['', m.count, m.amount]}
          rows={[
            [m.sales, r.sales.count, money(r.sales.net)],
            [m.voids, r.voids.count, money(r.voids.net)],
            [m.refunds, r.refunds.count, money(r.refunds.net)],
          ]}
        />
        <ReportSection
          id="totals"
          title={m.totals}
          head={['', m.amount]}
          rows={[
            [m.gross, money(r.gross)],
            [m.discounts, money(r.discount)],
            [m.net, money(r.net)],
            [m.vat, money(r.vatTotal)],
            [m.offlineAtRisk, money(r.offlineAtRisk)],
            ...(r.writeOffs ? [[`${m.writtenOff} (${r.writeOffs.count})`, money(r.writeOffs.amount)]] : []),
            ...(r.cashRounding ? [[`${m.cashRounding} (${r.cashRounding.count})`, money(r.cashRounding.amount)]] : []),
          ]}
        />
        <ReportSection id="tenders" title={m.tenders} head={['', m.count, m.amount]} rows={r.tenders.map((x) => [t.tenderKinds[x.kind] ?? x.kind, x.count, money(x.amount)])} />
        <ReportSection id="vat" title={m.vatPerRate} head={[m.rate, m.gross, m.vat, m.net]} rows={r.vat.map((v) => [`${new Intl.NumberFormat(status.locale).format(v.rateBp / 100)} %`, money(v.gross), money(v.vat), money(v.net)])} />
        <ReportSection id="discounts" title={m.discountsGiven} head={['', m.count, m.amount]} rows={r.discounts.map((d) => [d.text, d.count, money(d.amount)])} />
        <FiscalReportSections report={r} ctx={ctx} />
      </div>
    </section>
  );
}

/** Business day: open and close it, and the X (running) and Z (closing) reports, printable and as CSV. */
export function DayView(props: { ctx: ManagerContext }): preact.JSX.Element {
  const { ctx } = props;
  const { t, status, bridge, session } = ctx;
  const m = t.manager;
  const [day, setDay] = useState<ManagerDay | undefined>(undefined);
  const [report, setReport] = useState<ManagerReport | undefined>(undefined);
  const [operator, setOperator] = useState('');
  const [counted, setCounted] = useState('');
  const { busy, feedback, setFeedback, call } = useManagerCall(ctx);
  useEffect(() => call(() => bridge.managerDay({ session }), setDay), []);
  useEffect(() => document.getElementById('report-title')?.focus(), [report]);

  const showReport = (kind: 'X' | 'Z', businessDayId?: number): void =>
    call(() => bridge.managerReport({ session, kind, ...(businessDayId ? { businessDayId } : {}) }), setReport);
  const openDay = (): void => call(() => bridge.managerOpenDay({ session, ...(operator.trim() ? { operatorId: operator.trim() } : {}) }), setDay);
  const closeDay = (): void => {
    const open = day?.open;
    if (!open) return;
    let countedCash: number | undefined;
    if (counted.trim() !== '') {
      const parsed = parseAmount(counted, status.currency);
      if (parsed === undefined) {
        setFeedback({ level: 'error', text: `${m.countedCash}: ${counted}` });
        return;
      }
      countedCash = parsed;
    }
    if (!window.confirm(fill(m.confirmClose, { date: open.businessDate }))) return;
    call(
      () => bridge.managerCloseDay({ session, ...(countedCash !== undefined ? { countedCash } : {}) }),
      (r) => {
        setDay(r.day);
        call(() => bridge.managerReport({ session, kind: 'Z', businessDayId: r.report.day.id }), setReport);
      },
    );
  };
  const print = (): void => {
    if (!report) return;
    const r = report.report;
    call(() => bridge.managerPrintReport({ session, kind: r.kind, businessDayId: r.day.id }), (p) => setFeedback({ level: 'info', text: fill(m.printQueued, { id: p.jobId }) }));
  };

  return (
    <section aria-labelledby="day-title" class="manager-view" data-testid="manager-day">
      <h2 id="day-title">{m.day}</h2>
      <FeedbackLine feedback={feedback} testId="day-feedback" />
      {day ? (
        <div class="manager-cards">
          <section class="card" aria-labelledby="day-open-title">
            <h3 id="day-open-title">{m.dayOpen}</h3>
            {day.open ? (
              <dl class="facts">
                <div>
                  <dt>{m.day}</dt>
                  <dd data-testid="open-day">{day.open.businessDate}</dd>
                </div>
                <div>
                  <dt>{m.openedAt}</dt>
                  <dd>{formatDateTime(day.open.openedAt, status.locale, status.timeZone)}</dd>
                </div>
                <div>
                  <dt>{m.shift}</dt>
                  <dd>{day.shift ? day.shift.operatorId : m.noShiftOpen}</dd>
                </div>
              </dl>
            ) : (
              <p data-testid="no-open-day">{m.dayNone}</p>
            )}
            {day.open ? (
              <div class="field-row">
                <div class="field">
                  <label for="counted-cash">{m.countedCash}</label>
                  <input id="counted-cash" inputMode="decimal" value={counted} onInput={(e) => setCounted((e.target as HTMLInputElement).value)} />
                </div>
                <button type="button" disabled={busy} data-testid="close-day" onClick={closeDay}>
                  {m.closeDay}
                </button>
              </div>
            ) : (
              <div class="field-row">
                <div class="field">
                  <label for="operator">{m.operator}</label>
                  <input id="operator" value={operator} maxLength={64} onInput={(e) => setOperator((e.target as HTMLInputElement).value)} />
                </div>
                <button type="button" class="primary" disabled={busy} data-testid="open-day-button" onClick={openDay}>
                  {m.openDay}
                </button>
              </div>
            )}
          </section>
          <section class="card" aria-labelledby="reports-title">
            <h3 id="reports-title">{m.reports}</h3>
            <div class="button-row">
              <button type="button" disabled={busy || !day.open} data-testid="x-report" onClick={() => showReport('X')}>
                {m.xReport}
              </button>
              <button type="button" disabled={busy || day.closed.length === 0} data-testid="z-report" onClick={() => showReport('Z')}>
                {m.zReport}
              </button>
            </div>
            {day.closed.length > 0 ? <h4>{m.closedDays}</h4> : null}
            <ul class="rule-list">
              {day.closed.map((d) => (
                <li key={d.id}>
                  <span>{d.businessDate}</span>
                  <button type="button" disabled={busy} onClick={() => showReport('Z', d.id)} aria-label={`${m.zReport}: ${d.businessDate}`}>
                    Z
                  </button>
                </li>
              ))}
            </ul>
          </section>
          <FiscalControlsCard day={day} ctx={ctx} busy={busy} call={call} setFeedback={setFeedback} onDay={setDay} />
        </div>
      ) : null}
      {report ? (
        <>
          <ReportTable report={report.report} ctx={ctx} />
          <div class="button-row">
            <button type="button" class="primary" disabled={busy} data-testid="print-report" onClick={print}>
              {m.printReport}
            </button>
            <button type="button" disabled={busy} data-testid="download-csv" onClick={() => download(report.fileName, report.csv)}>
              {m.downloadCsv}
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
