import type { Status } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { StatusPanel } from '../shared/status-panel';

export function CashierScreen(props: { status: Status; connected: boolean; t: Messages }): preact.JSX.Element {
  const { status, t } = props;
  return (
    <main class="screen cashier">
      <header class="topbar">
        <h1>
          {t.cashier} · {status.branchId} / {status.posId}
        </h1>
        {status.demo ? <span class="badge">{t.demo}</span> : null}
      </header>
      <StatusPanel {...props} />
    </main>
  );
}
