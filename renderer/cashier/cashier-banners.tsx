import type { SaleView, Status } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { ariaKeys, keyLabel } from './shortcuts';

/** A back end the till is set up for cannot be reached. "Not configured" is not offline: nothing waits for it. */
export function isOffline(status: Pick<Status, 'online'>): boolean {
  return status.online.dintero === 'offline' || status.online.loyalty === 'offline';
}

export function queuedCount(status: Pick<Status, 'queue'>): number {
  return status.queue.pending + status.queue.retry + status.queue.inFlight;
}

/**
 * Offline at a glance: a full-width striped banner in its own colour (amber, not the red of errors or the grey of
 * "not configured"), saying that selling goes on and how much waits to be sent.
 */
export function OfflineBanner(props: { status: Status; t: Messages }): preact.JSX.Element | null {
  const { status, t } = props;
  if (!isOffline(status)) return null;
  return (
    <p class="banner offline" role="status" data-testid="offline-banner">
      <strong>{t.sale.offlineTitle}</strong> <span>{t.sale.offlineText}</span>{' '}
      <span class="offline-queue" data-testid="offline-queue">
        {t.sale.offlineWaiting.replace('{n}', String(queuedCount(status)))}
      </span>
    </p>
  );
}

/** A button's visible key cap. */
export function KeyCap(props: { action: Parameters<typeof keyLabel>[0] }): preact.JSX.Element | null {
  const label = keyLabel(props.action);
  return label ? <kbd>{label}</kbd> : null;
}

type BannerProps = { sale: SaleView; t: Messages; onApprove: () => void; onHelpDone: () => void };

/** What interrupts the sale: no shift, a kiosk's call for staff, an ID check or a kiosk's approval. */
export function SaleBanners(props: BannerProps): preact.JSX.Element {
  const { sale, t } = props;
  return (
    <>
      {sale.shift.shift === null ? (
        <p class="banner error" role="alert" data-testid="no-shift">
          {t.noShift}
        </p>
      ) : null}
      {sale.help ? (
        <p class="banner info row" role="alert" data-testid="help-requested">
          <span>{t.helpRequested}</span>
          <button type="button" data-testid="help-done" aria-keyshortcuts={ariaKeys('helpDone')} onClick={props.onHelpDone}>
            <KeyCap action="helpDone" /> {t.helpDone}
          </button>
        </p>
      ) : null}
      {sale.checks.pending.length > 0 ? (
        <div class="banner check-id row" role="alert" data-testid="check-id">
          <span>
            {sale.checks.mode === 'kiosk' ? t.kioskApprovalWaiting : t.checkIdPrompt}:{' '}
            {sale.checks.pending.map((c) => (c.kind === 'age' ? t.checkAge.replace('{age}', String(c.ageLimit ?? '')) : t.checkWeight).replace('{item}', c.description)).join(', ')}
          </span>
          {/* Approved as the operator signed in at this screen (the shift's), who is the one looking. */}
          <button type="button" class="primary" data-testid="check-id-done" aria-keyshortcuts={ariaKeys('approve')} disabled={!sale.shift.shift} title={sale.shift.shift ? undefined : t.sale.unavailable['no-shift']} onClick={props.onApprove}>
            <KeyCap action="approve" /> {sale.checks.mode === 'kiosk' ? t.staffApprove : t.checkIdDone}
          </button>
        </div>
      ) : null}
    </>
  );
}
