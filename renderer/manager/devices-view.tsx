import { useEffect, useState } from 'preact/hooks';
import type { DeviceStatus, ManagerDevices } from '../../main/api/contract';
import { deviceLabel } from '../shared/status-panel';
import { wordDetail, wordReason } from '../shared/i18n-errors';
import { FeedbackLine, fill, type ManagerContext, useManagerCall } from './manager-context';

/** Scanner and printer as the agent sees them now (live from the status events), test print and drawer. */
export function DevicesView(props: { ctx: ManagerContext }): preact.JSX.Element {
  const { ctx } = props;
  const { t, status, bridge, session } = ctx;
  const wording = { locale: status.locale, currency: status.currency };
  const m = t.manager;
  const [view, setView] = useState<ManagerDevices | undefined>(undefined);
  const { busy, feedback, setFeedback, call } = useManagerCall(ctx);
  useEffect(() => call(() => bridge.managerDevices({ session }), setView), []);
  const rows: [string, string, DeviceStatus, string][] = [
    ['scanner', t.scanner, status.devices.scanner, view ? (wordDetail(view.scanner.configuredAs ?? {}, view.scanner.configured, wording) ?? '') : ''],
    ['printer', t.printer, status.devices.printer, view ? `${wordDetail(view.printer.configuredAs ?? {}, view.printer.configured, wording) ?? ''}, ${view.printer.widthMm} mm` : ''],
  ];
  return (
    <section aria-labelledby="devices-title" class="manager-view" data-testid="manager-devices">
      <h2 id="devices-title">{m.devices}</h2>
      <FeedbackLine feedback={feedback} testId="devices-feedback" />
      <table class="manager-table">
        <thead>
          <tr>
            <th scope="col">{m.devices}</th>
            <th scope="col">{m.configured}</th>
            <th scope="col">{m.state}</th>
            <th scope="col">{m.detail}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([id, label, d, configured]) => (
            <tr key={id} data-testid={`device-${id}`}>
              <th scope="row">{label}</th>
              <td>{configured}</td>
              <td class={d.state === 'connected' ? 'ok' : 'bad'}>{deviceLabel(d, t)}</td>
              <td>{wordDetail(d, d.detail, wording) ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="button-row">
        <button
          type="button"
          disabled={busy}
          data-testid="test-print"
          onClick={() => call(() => bridge.managerTestPrint({ session }), (r) => setFeedback({ level: 'info', text: fill(m.printQueued, { id: r.jobId }) }))}
        >
          {m.testPrint}
        </button>
        <button
          type="button"
          disabled={busy || view?.drawer.supported === false}
          aria-describedby={view?.drawer.supported === false ? 'drawer-reason' : undefined}
          data-testid="open-drawer"
          onClick={() => call(() => bridge.managerOpenDrawer({ session }), (r) => setFeedback({ level: 'info', text: fill(m.drawerQueued, { id: r.jobId }) }))}
        >
          {m.openDrawer}
        </button>
      </div>
      {view?.drawer.supported === false ? (
        <p id="drawer-reason" class="muted" data-testid="drawer-reason">
          {/* The only reason the agent gives for no drawer is a missing printer (manager-service.ts). */}
          {wordReason('manager.no-drawer', {}, wording)}
        </p>
      ) : null}
    </section>
  );
}
