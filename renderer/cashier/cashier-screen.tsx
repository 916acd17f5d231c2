import { useEffect, useRef, useState } from 'preact/hooks';
import type { SaleNotice, SaleView, Status, TillBridge } from '../../main/api/contract';
import { useErrorFlash } from '../shared/use-error-flash';
import type { Messages } from '../shared/i18n';
import { KeyboardWedgeDetector } from '../shared/keyboard-wedge';
import { formatMoney } from '../shared/money';
import { ReceiptPreview } from '../shared/receipt-preview';
import { StatusPanel } from '../shared/status-panel';
import { BasketTable } from './basket-table';
import { CustomerDialog, type DialogKind, type DialogProps, PriceCheckDialog, QuantityDialog, ResumeDialog, SearchDialog, TenderDialog } from './dialogs';
import { actionFor, type CashierAction, SHORTCUTS } from './shortcuts';
import { dialogAfterSaleChange, type OpenDialog, saleMark, withoutEndedTenderDialog } from './tender-close';
import { GiftCardDialog, PointsDialog } from './value-dialogs';
import { balanceText, pointsText } from '../shared/balance';
import { WhyPanel } from './why-panel';

type Props = {
  status: Status;
  connected: boolean;
  t: Messages;
  bridge: TillBridge;
  sale: SaleView;
  onSale: (view: SaleView) => void;
};

export function noticeText(n: SaleNotice, t: Messages): string {
  switch (n.code) {
    case 'added':
      return `${t.noticeAdded}: ${n.subject}`;
    case 'unknown-item':
      return `${t.noticeUnknownItem}: ${n.subject}`;
    case 'bad-barcode':
      return `${t.noticeBadBarcode}: ${(n.scanError && t.scanErrors[n.scanError]) ?? n.subject} (${n.subject})`;
    case 'weight-required':
      return `${n.subject}: ${t.noticeWeightRequired}`;
    case 'failed':
      return `${t.noticeFailed}: ${n.message ?? n.subject}`;
    case 'member-lookup':
      return `${t.noticeMemberLookup}: ${n.subject}…`;
    case 'member':
      return `${t.noticeMember}: ${n.subject}`;
    case 'unknown-member':
      return `${t.noticeUnknownMember}: ${n.message ?? n.subject}`;
  }
}

function isTextInput(el: EventTarget | null): boolean {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
}

const ACTION_LABEL: Record<Exclude<CashierAction, 'lineUp' | 'lineDown' | 'close'>, keyof Messages> = {
  quantity: 'quantity',
  priceCheck: 'priceCheck',
  search: 'search',
  customer: 'identify',
  why: 'why',
  suspend: 'suspend',
  resume: 'resume',
  cash: 'cash',
  card: 'card',
  giftCard: 'giftCard',
  points: 'points',
  reprint: 'reprint',
  voidLine: 'voidLine',
};

/**
 * The cashier's till. Keyboard first: the scan field holds the focus whenever no dialog is open (a click
 * elsewhere gives it back), a keyboard-wedge scanner typing into a dialog's field is recognised and its
 * code goes to the basket instead, and every action has a function key. The basket itself lives in the
 * agent; this screen shows the agent's view and sends what the cashier does.
 */
export function CashierScreen(props: Props): preact.JSX.Element {
  const { status, t, bridge, sale } = props;
  const locale = status.locale;
  const money = (n: number): string => formatMoney(n, sale.currency, locale);
  const scanInput = useRef<HTMLInputElement>(null);
  const [scanText, setScanText] = useState('');
  const [openDialog, setOpenDialog] = useState<OpenDialog | undefined>(undefined);
  // A taken tender (a part payment, or the one that commits the sale) ends its dialog in the very render that
  // shows it: the sale event often beats the tender call's own answer (tender-close.ts).
  const mark = saleMark(sale);
  const dialog = dialogAfterSaleChange(openDialog, mark);
  const setDialog = (kind: DialogKind | undefined): void => setOpenDialog(kind === undefined ? undefined : { kind, at: saleMark(state.current.sale) });
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [showWhy, setShowWhy] = useState(false);
  const { flash, signal } = useErrorFlash(sale.notice);
  const [error, setError] = useState<string | undefined>(undefined);
  const [receiptCopy, setReceiptCopy] = useState<SaleView['lastReceipt']>(null);
  const state = useRef({ dialog, scanText, sale, selected });
  state.current = { dialog, scanText, sale, selected };

  // The selected line follows the basket: a new line selects itself, a voided one moves the selection to the last.
  const lineIds = sale.lines.map((l) => l.lineId).join(',');
  const previousCount = useRef(sale.lines.length);
  useEffect(() => {
    const ids = sale.lines.map((l) => l.lineId);
    const grew = ids.length > previousCount.current;
    previousCount.current = ids.length;
    setSelected((cur) => (!grew && cur !== undefined && ids.includes(cur) ? cur : ids.at(-1)));
  }, [lineIds]);

  // Forget the ended tender dialog. As an update of whatever is open by then: a key pressed between this render and
  // the effect (F9 right after paying, on a busy till) may already have opened the next dialog, which must stay.
  useEffect(() => {
    if (dialog === undefined && openDialog !== undefined) setOpenDialog((cur) => withoutEndedTenderDialog(cur, mark));
  }, [dialog]);

  const focusScan = (): void => {
    if (!state.current.dialog) scanInput.current?.focus();
  };
  useEffect(focusScan, [dialog]);
  useEffect(() => {
    // Scan focus is never lost: whatever takes it (a click on a button, on the page) gives it back.
    const onFocusOut = (): void => {
      setTimeout(() => {
        if (!state.current.dialog && document.activeElement !== scanInput.current) focusScan();
      }, 0);
    };
    document.addEventListener('focusout', onFocusOut);
    document.addEventListener('pointerup', onFocusOut);
    return () => {
      document.removeEventListener('focusout', onFocusOut);
      document.removeEventListener('pointerup', onFocusOut);
    };
  }, []);

  const call = <T,>(p: Promise<T>, then?: (v: T) => void): void => {
    setError(undefined);
    p.then((v) => then?.(v)).catch((err: unknown) => {
      setError(`${t.noticeFailed}: ${err instanceof Error ? err.message : String(err)}`);
      signal();
    });
  };

  const submitScan = (code: string): void => {
    const trimmed = code.trim();
    if (trimmed === '') return;
    setReceiptCopy(null);
    call(bridge.scan({ code: trimmed }), (r) => props.onSale(r.sale));
  };

  const run = (action: CashierAction): void => {
    const cur = state.current;
    switch (action) {
      case 'close':
        setDialog(undefined);
        setShowWhy(false);
        return;
      case 'lineUp':
      case 'lineDown': {
        const ids = cur.sale.lines.map((l) => l.lineId);
        const at = cur.selected === undefined ? ids.length : ids.indexOf(cur.selected);
        const next = ids[Math.max(0, Math.min(ids.length - 1, at + (action === 'lineUp' ? -1 : 1)))];
        if (next !== undefined) setSelected(next);
        return;
      }
      case 'voidLine':
        if (cur.selected !== undefined) call(bridge.voidLine({ lineId: cur.selected }), props.onSale);
        else setError(t.selectLine);
        return;
      case 'why':
        setShowWhy((v) => !v);
        return;
      case 'suspend':
        call(bridge.suspendSale({}), props.onSale);
        return;
      case 'reprint':
        call(bridge.reprintReceipt({}), setReceiptCopy);
        return;
      case 'quantity':
      case 'priceCheck':
      case 'search':
      case 'customer':
      case 'resume':
      case 'cash':
      case 'card':
      case 'giftCard':
      case 'points':
        setError(undefined);
        setDialog(action);
        return;
    }
  };

  useEffect(() => {
    const wedge = new KeyboardWedgeDetector();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deliver = (code: string, typedIntoInput: number, target: EventTarget | null): void => {
      if (typedIntoInput > 0 && target instanceof HTMLInputElement) {
        // The scanner typed into a dialog's field: take its characters back out, the code goes to the basket.
        target.value = target.value.slice(0, Math.max(0, target.value.length - typedIntoInput));
        target.dispatchEvent(new Event('input', { bubbles: true }));
      }
      submitScan(code);
    };
    const onKeyDown = (e: KeyboardEvent): void => {
      const cur = state.current;
      const action = actionFor(e, { dialogOpen: cur.dialog !== undefined, scanText: e.target === scanInput.current ? cur.scanText : '' });
      if (action) {
        e.preventDefault();
        run(action);
        return;
      }
      // The scan field reads scans itself (Enter submits); elsewhere the wedge detector tells scans from typing.
      if (e.target === scanInput.current) return;
      const out = wedge.key(e.key, e.timeStamp, isTextInput(e.target) ? 'text-input' : 'other');
      if (out.key === 'swallow') e.preventDefault();
      if (out.replay.length > 0 && !cur.dialog) setScanText((s) => s + out.replay.join(''));
      if (out.scan) deliver(out.scan.code, out.scan.typedIntoInput, e.target);
      if (timer) clearTimeout(timer);
      const deadline = wedge.deadline();
      if (deadline !== undefined) {
        const target = e.target;
        timer = setTimeout(() => {
          const tick = wedge.tick(performance.now());
          if (tick.replay.length > 0 && !state.current.dialog) setScanText((s) => s + tick.replay.join(''));
          if (tick.scan) deliver(tick.scan.code, tick.scan.typedIntoInput, target);
        }, Math.max(0, deadline - e.timeStamp));
      }
    };
    document.addEventListener('keydown', onKeyDown, true);
    return () => {
      document.removeEventListener('keydown', onKeyDown, true);
      if (timer) clearTimeout(timer);
    };
  }, []);

  // A dialog closes only itself: a tender answer arriving after the sale event must not close the dialog opened since.
  const shownDialog = openDialog;
  const dialogProps: DialogProps = { bridge, sale, selected, locale, t, onSale: props.onSale, onClose: () => setOpenDialog((cur) => (cur === shownDialog ? undefined : cur)) };
  const noShift = sale.shift.shift === null;
  const receipt = receiptCopy ?? (sale.lines.length === 0 ? sale.lastReceipt : null);
  const notice = sale.notice;

  return (
    <main class="screen cashier">
      <header class="topbar">
        <h1>
          {t.cashier} · {status.branchId} / {status.posId}
        </h1>
        {status.demo ? <span class="badge">{t.demo}</span> : null}
        {sale.shift.shift ? (
          <span class="muted">
            {t.shiftOf}: {sale.shift.shift.operatorId}
          </span>
        ) : null}
        <a class="button-link" href="#/manager" data-testid="open-manager" aria-keyshortcuts="Control+M">
          {t.manager.open} <span class="small">({t.manager.openHint})</span>
        </a>
      </header>
      <StatusPanel status={status} connected={props.connected} t={t} />
      {noShift ? (
        <p class="banner error" role="alert" data-testid="no-shift">
          {t.noShift}
        </p>
      ) : null}
      {sale.help ? (
        <p class="banner info row" role="alert" data-testid="help-requested">
          <span>{t.helpRequested}</span>
          <button type="button" onClick={() => call(bridge.clearHelp({}), props.onSale)}>
            {t.helpDone}
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
          <button type="button" class="primary" data-testid="check-id-done" disabled={!sale.shift.shift} onClick={() => sale.shift.shift && call(bridge.approveSale({ operatorId: sale.shift.shift.operatorId }), props.onSale)}>
            {sale.checks.mode === 'kiosk' ? t.staffApprove : t.checkIdDone}
          </button>
        </div>
      ) : null}
      <div class="cashier-grid">
        <section class="basket-panel" aria-label={t.basket}>
          <form
            class="scan-form"
            onSubmit={(e) => {
              e.preventDefault();
              submitScan(scanText);
              setScanText('');
            }}
          >
            <label for="scan-input">{t.scanLabel}</label>
            <input
              id="scan-input"
              ref={scanInput}
              data-testid="scan-input"
              value={scanText}
              autoComplete="off"
              autoFocus
              aria-describedby="scan-hint"
              onInput={(e) => setScanText((e.currentTarget).value)}
            />
            <span id="scan-hint" class="muted small">
              {t.scanHint}
            </span>
          </form>
          <div key={flash} class={`notice-bar ${notice?.level === 'error' || error ? 'error flash' : 'info'}`} role={notice?.level === 'error' || error ? 'alert' : 'status'} data-testid="notice">
            {error ?? (notice ? noticeText(notice, t) : '\u00a0')}
          </div>
          <BasketTable lines={sale.lines} selected={selected} currency={sale.currency} locale={locale} t={t} onSelect={setSelected} />
        </section>
        <aside class="side-panel">
          <section class="customer" aria-label={t.customer} data-testid="customer">
            <span class="muted">{t.customer}: </span>
            {sale.customer ? (
              <>
                <strong data-testid="customer-name">{sale.customer.name ?? `${t.member} ${sale.customer.maskedId}`}</strong>
                {sale.customer.points ? (
                  <div class="small" data-testid="customer-points">
                    {t.points}: {pointsText(sale.customer.points, money, t, locale, Date.now())}
                  </div>
                ) : null}
              </>
            ) : (
              t.noCustomer
            )}
          </section>
          <section class="totals" aria-label={t.total}>
            <div class="row">
              <span>{t.subtotal}</span>
              <span data-testid="total-gross">{money(sale.totals.gross)}</span>
            </div>
            <div class="row discount">
              <span>{t.discountTotal}</span>
              <span data-testid="total-discount">−{money(sale.totals.discount)}</span>
            </div>
            <div class="row grand">
              <span>{t.toPay}</span>
              <span data-testid="total-net">{money(sale.totals.net)}</span>
            </div>
            <div class="row muted small">
              <span>{t.vatIncluded}</span>
              <span>{money(sale.totals.vatTotal)}</span>
            </div>
            {sale.tenders.map((tn, i) => (
              <div class="row" key={i} data-testid="tender-line">
                <span>
                  {t.tenderKinds[tn.kind] ?? tn.kind}
                  {tn.reference ? ` (${tn.reference})` : ''}
                  {tn.offline ? ` · ${t.offlineTender}` : ''}
                  {tn.balance && tn.kind === 'gift_card' ? ` · ${t.balance} ${balanceText(tn.balance, money, t, locale, Date.now())}` : ''}
                </span>
                <span>{money(tn.amount)}</span>
              </div>
            ))}
            {sale.tenders.length > 0 ? (
              <div class="row grand-remaining">
                <span>{t.remaining}</span>
                <span data-testid="total-remaining">{money(sale.remaining)}</span>
              </div>
            ) : null}
          </section>
          {receipt ? (
            <>
              {receipt.change > 0 && !receipt.copy ? (
                <p class="change-due" data-testid="change-due">
                  {t.change}: {money(receipt.change)}
                </p>
              ) : null}
              <ReceiptPreview receipt={receipt} locale={locale} timeZone={status.timeZone} t={t} />
            </>
          ) : null}
          {showWhy && sale.lines.length > 0 ? <WhyPanel outcomes={sale.outcomes} ruleSetVersion={sale.ruleSetVersion} currency={sale.currency} locale={locale} t={t} /> : null}
        </aside>
      </div>
      <nav class="actions" aria-label={t.shortcuts}>
        {SHORTCUTS.map((s) => (
          <button type="button" key={s.action} data-testid={`action-${s.action}`} onClick={() => run(s.action)}>
            <kbd>{s.label}</kbd> {t[ACTION_LABEL[s.action as keyof typeof ACTION_LABEL]] as string}
          </button>
        ))}
        <button type="button" data-testid="action-cancel" onClick={() => call(bridge.cancelSale({}), props.onSale)}>
          {t.cancelSale}
        </button>
      </nav>
      {dialog === 'quantity' ? <QuantityDialog {...dialogProps} /> : null}
      {dialog === 'priceCheck' ? <PriceCheckDialog {...dialogProps} /> : null}
      {dialog === 'search' ? <SearchDialog {...dialogProps} /> : null}
      {dialog === 'customer' ? <CustomerDialog {...dialogProps} /> : null}
      {dialog === 'resume' ? <ResumeDialog {...dialogProps} /> : null}
      {dialog === 'cash' || dialog === 'card' ? <TenderDialog {...dialogProps} kind={dialog} /> : null}
      {dialog === 'giftCard' ? <GiftCardDialog {...dialogProps} /> : null}
      {dialog === 'points' ? <PointsDialog {...dialogProps} /> : null}
    </main>
  );
}
