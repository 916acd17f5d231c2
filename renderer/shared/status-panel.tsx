import type { ConnectionState, DeviceStatus, Status } from '../../main/api/contract';
import type { Messages } from './i18n';
import { wordDetail } from './i18n-errors';

function stateLabel(state: ConnectionState, t: Messages): string {
  switch (state) {
    case 'online':
      return t.online;
    case 'offline':
      return t.offline;
    case 'unconfigured':
      return t.unconfigured;
  }
}

/** A back end's pill: green online, amber offline (sales wait in the queue), grey when the till has none set up. */
function stateClass(state: ConnectionState): string {
  switch (state) {
    case 'online':
      return 'ok';
    case 'offline':
      return 'offline';
    case 'unconfigured':
      return 'off';
  }
}

/** A device's state in words (the status panel, the manager's devices view). */
export function deviceLabel(device: DeviceStatus, t: Messages): string {
  switch (device.state) {
    case 'connected':
      return t.deviceConnected;
    case 'disconnected':
      return t.deviceDisconnected;
    case 'unavailable':
      return t.deviceUnavailable;
    case 'not-configured':
      return t.deviceNotConfigured;
  }
}

function deviceClass(device: DeviceStatus): string {
  return device.state === 'connected' ? 'ok' : device.state === 'not-configured' ? 'off' : 'bad';
}

/** The till's identity and health: always visible, so a cashier knows which till this is and whether it syncs. */
export function StatusPanel(props: { status: Status; connected: boolean; t: Messages }): preact.JSX.Element {
  const { status, connected, t } = props;
  const queued = status.queue.pending + status.queue.retry + status.queue.inFlight;
  return (
    <section class="status" aria-label={t.appTitle}>
      <dl class="identity">
        <div>
          <dt>{t.branch}</dt>
          <dd data-testid="branch-id">{status.branchId}</dd>
        </div>
        <div>
          <dt>{t.till}</dt>
          <dd data-testid="pos-id">{status.posId}</dd>
        </div>
        <div>
          <dt>{t.mode}</dt>
          <dd>{status.mode === 'kiosk' ? t.kiosk : t.cashier}</dd>
        </div>
        <div>
          <dt>{t.version}</dt>
          <dd data-testid="version">{status.version}</dd>
        </div>
      </dl>
      <ul class="health" aria-label={t.backends}>
        <li class={connected ? 'ok' : 'bad'} data-testid="agent-connection">
          {t.agent}: {connected ? t.connected : t.disconnected}
        </li>
        <li class={stateClass(status.online.dintero)} data-testid="dintero-state">
          Dintero: {stateLabel(status.online.dintero, t)}
        </li>
        <li class={stateClass(status.online.loyalty)} data-testid="loyalty-state">
          Loyalty: {stateLabel(status.online.loyalty, t)}
        </li>
        <li class={deviceClass(status.devices.scanner)} data-testid="scanner-state" title={wordDetail(status.devices.scanner, status.devices.scanner.detail, { locale: status.locale, currency: status.currency })}>
          {t.scanner}: {deviceLabel(status.devices.scanner, t)}
        </li>
        <li class={deviceClass(status.devices.printer)} data-testid="printer-state" title={wordDetail(status.devices.printer, status.devices.printer.detail, { locale: status.locale, currency: status.currency })}>
          {t.printer}: {deviceLabel(status.devices.printer, t)}
        </li>
        <li data-testid="queue">
          {t.queue}: {queued} {t.queuePending}
          {status.queue.needsAttention > 0 ? `, ${status.queue.needsAttention} ${t.queueAttention}` : ''}
        </li>
      </ul>
    </section>
  );
}
