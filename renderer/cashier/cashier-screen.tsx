import { useEffect, useRef, useState } from 'preact/hooks';
import type { SaleNotice, SaleView, Status, TillBridge } from '../../main/api/contract';
import { useErrorFlash } from '../shared/use-error-flash';
import type { Messages } from '../shared/i18n';
import { wordDetail, wordError, type WordingContext } from '../shared/i18n-errors';
import { KeyboardWedgeDetector, wedgeConfigFrom } from '../shared/keyboard-wedge';
import { formatMoney, formatQuantity } from '../shared/money';
import { StatusPanel } from '../shared/status-panel';
import { ActionBar } from './action-bar';
import { unavailable } from './availability';
import { BasketTable } from './basket-table';
import { isOffline, OfflineBanner, SaleBanners } from './cashier-banners';
import { ConfirmDialog } from './confirm-dialog';
import { CustomerDialog, type DialogKind, type DialogProps, PriceCheckDialog, QuantityDialog, ResumeDialog, SearchDialog, TenderDialog } from './dialogs';
import { actionFor, type CashierAction } from './shortcuts';
import { SidePanel } from './side-panel';
import { dialogAfterSaleChange, type OpenDialog, saleMark, withoutEndedTenderDialog } from './tender-close';
import { GiftCardDialog, PointsDialog } from './value-dialogs';

type Props = {
  status: Status;
  connected: boolean;
  t: Messages;
  bridge: TillBridge;
  sale: SaleView;
  onSale: (view: SaleView) => void;
};

export function noticeText(n: SaleNotice, t: Messages, ctx: WordingContext): string {
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
      return `${t.noticeFailed}: ${wordDetail(n, n.message, ctx) ?? n.subject}`;
    case 'member-lookup':
      return `${t.noticeMemberLookup}: ${n.subject}…`;
    case 'member':
      return `${t.noticeMember}: ${n.subject}`;
    case 'unknown-member':
      return `${t.noticeUnknownMember}: ${wordDetail(n, n.message, ctx) ?? n.subject}`;
  }
}

function isTextInput(el: EventTarget | null): boolean {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
}

/**
 * The cashier's till. Keyboard first: the scan field holds the focus whenever no dialog is open (a click
 * elsewhere gives it back), a keyboard-wedge scanner typing into a dialog's field is recognised and its
 * code goes to the basket instead, and every action has a function key. The basket itself lives in the
 * agent; this screen shows the agent's view and sends what the cashier does.
 */
export function CashierScreen(props: Props): preact.JSX.Element {
  const { status, t, bridge, sale } = props;
  // The scanner's framing comes with the status; the detector is rebuilt only when the framing changes.
  const framing = status.keyboardWedge;
  const framingKey = JSON.stringify(framing);
  const locale = status.locale;
  const money = (n: number): string => formatMoney(n, sale.currency, locale);
  const wording: WordingContext = { locale, currency: sale.currency };
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
  // What the screen itself did (a line deleted, the sale cancelled), shown until the sale changes again.
  const [done, setDone] = useState<{ text: string; revision: number } | undefined>(undefined);
  // The last receipt shows only for a sale paid while this screen watched, and goes when the next sale starts.
  const receiptAtLoad = useRef(sale.lastReceipt?.receiptId);
  const [dismissedReceipt, setDismissedReceipt] = useState<string | undefined>(undefined);
  const state = useRef({ dialog, scanText, sale, selected, status });
  state.current = { dialog, scanText, sale, selected, status };

  useEffect(() => {
    if (sale.lines.length === 0) return;
    setDismissedReceipt(sale.lastReceipt?.receiptId);
    setReceiptCopy(null);
  }, [sale.lines.length > 0]);

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
      setError(`${t.noticeFailed}: ${wordError(err, wording)}`);
      signal();
    });
  };
  /** Shows what the screen did until the sale changes again (its revision moves: a scan, a resume...). */
  const said = (text: string, view: SaleView): void => {
    props.onSale(view);
    setDone({ text, revision: view.revision });
  };
  const voidLine = async (lineId: number, description: string): Promise<void> => said(t.sale.lineVoided.replace('{item}', description), await bridge.voidLine({ lineId }));
  const cancelSale = async (): Promise<void> => said(t.sale.saleCancelled, await bridge.cancelSale({}));

  const submitScan = (code: string): void => {
    const trimmed = code.trim();
    if (trimmed === '') return;
    setReceiptCopy(null);
    call(bridge.scan({ code: trimmed }), (r) => props.onSale(r.sale));
  };

  const run = (action: CashierAction): void => {
    const cur = state.current;
    const blocked = unavailable(action, { sale: cur.sale, selected: cur.selected });
    if (blocked !== undefined) {
      setError(t.sale.unavailable[blocked]);
      signal();
      return;
    }
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
        setError(undefined);
        setDialog('confirmVoid');
        return;
      case 'cancelSale':
        setError(undefined);
        setDialog('confirmCancel');
        return;
      case 'approve': {
        // Approved as the operator of this screen's shift, who is the one looking at the customer's ID.
        const operatorId = cur.sale.shift.shift?.operatorId;
        if (operatorId !== undefined) call(bridge.approveSale({ operatorId }), props.onSale);
        return;
      }
      case 'helpDone':
        call(bridge.clearHelp({}), props.onSale);
        return;
      case 'why':
        setShowWhy((v) => !v);
        return;
      case 'suspend':
        call(bridge.suspendSale({}), (view) => said(t.sale.saleParked, view));
        return;
      case 'reprint':
        call(bridge.reprintReceipt({}), (copy) => {
          setReceiptCopy(copy);
          setDone({ text: cur.status.devices.printer.state === 'not-configured' ? t.sale.reprintNoPrinter : t.sale.reprinted, revision: cur.sale.revision });
        });
        return;
      case 'provisional':
        // The basket stays as it is; the bill is on paper (the side panel shows sales' receipts only).
        call(bridge.printProvisional({}), (bill) => {
          const text = cur.status.devices.printer.state === 'not-configured' ? t.fiscal.provisionalNoPrinter : t.fiscal.provisionalPrinted;
          setDone({ text: text.replace('{id}', bill.receiptId), revision: cur.sale.revision });
        });
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
    const wedge = new KeyboardWedgeDetector(wedgeConfigFrom(framing));
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
  }, [framingKey]);

  // A dialog closes only itself: a tender answer arriving after the sale event must not close the dialog opened since.
  const shownDialog = openDialog;
  const closeShown = (): void => setOpenDialog((cur) => (cur === shownDialog ? undefined : cur));
  const dialogProps: DialogProps = { bridge, sale, selected, locale, timeZone: status.timeZone, t, onSale: props.onSale, onClose: closeShown };
  // The receipt of a sale paid at this screen, until the next sale starts; not one found at load (a reload clears it).
  const last = sale.lastReceipt;
  const fresh = last !== null && last.receiptId !== receiptAtLoad.current && last.receiptId !== dismissedReceipt && sale.lines.length === 0 ? last : null;
  const receipt = receiptCopy ?? fresh;
  const notice = sale.notice;
  const doneText = done !== undefined && sale.revision === done.revision ? done.text : undefined;
  const isError = error !== undefined || (doneText === undefined && notice?.level === 'error');
  const voidTarget = sale.lines.find((l) => l.lineId === selected);

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
      <OfflineBanner status={status} t={t} />
      <SaleBanners sale={sale} t={t} onApprove={() => run('approve')} onHelpDone={() => run('helpDone')} />
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
          <div key={flash} class={`notice-bar ${isError ? 'error flash' : 'info'}`} role={isError ? 'alert' : 'status'} data-testid="notice">
            {error ?? doneText ?? (notice ? noticeText(notice, t, wording) : '\u00a0')}
          </div>
          <BasketTable lines={sale.lines} selected={selected} currency={sale.currency} locale={locale} t={t} onSelect={setSelected} />
        </section>
        <SidePanel status={status} bridge={bridge} sale={sale} t={t} receipt={receipt} savedOffline={receipt !== null && (isOffline(status) || receipt.tenders.some((tn) => tn.offline))} showWhy={showWhy} />
      </div>
      <ActionBar sale={sale} selected={selected} t={t} run={run} />
      {dialog === 'quantity' ? <QuantityDialog {...dialogProps} /> : null}
      {dialog === 'priceCheck' ? <PriceCheckDialog {...dialogProps} /> : null}
      {dialog === 'search' ? <SearchDialog {...dialogProps} /> : null}
      {dialog === 'customer' ? <CustomerDialog {...dialogProps} /> : null}
      {dialog === 'resume' ? <ResumeDialog {...dialogProps} /> : null}
      {dialog === 'cash' || dialog === 'card' ? <TenderDialog {...dialogProps} kind={dialog} /> : null}
      {dialog === 'giftCard' ? <GiftCardDialog {...dialogProps} /> : null}
      {dialog === 'points' ? <PointsDialog {...dialogProps} /> : null}
      {dialog === 'confirmVoid' && voidTarget ? (
        <ConfirmDialog id="confirm-void" title={t.sale.confirmVoidTitle} confirmLabel={t.sale.confirmVoidYes} t={t} wording={wording} onClose={closeShown} onConfirm={() => voidLine(voidTarget.lineId, voidTarget.description)}>
          <p class="confirm-subject" data-testid="confirm-subject">
            {formatQuantity(voidTarget.quantity, voidTarget.unit, locale)} × {voidTarget.description} · {money(voidTarget.net)}
          </p>
        </ConfirmDialog>
      ) : null}
      {dialog === 'confirmCancel' ? (
        <ConfirmDialog id="confirm-cancel" title={t.sale.confirmCancelTitle} confirmLabel={t.sale.confirmCancelYes} t={t} wording={wording} onClose={closeShown} onConfirm={cancelSale}>
          <p class="confirm-subject" data-testid="confirm-subject">
            {t.sale.confirmCancelText.replace('{lines}', String(sale.lines.length)).replace('{amount}', money(sale.totals.net))}
          </p>
        </ConfirmDialog>
      ) : null}
    </main>
  );
}
