import { useEffect, useRef, useState } from 'preact/hooks';
import type { SaleCheckView, SaleView, Status, TillBridge } from '../../main/api/contract';
import { useErrorFlash } from '../shared/use-error-flash';
import type { Messages } from '../shared/i18n';
import { wordDetail, type WordingContext } from '../shared/i18n-errors';
import { KeyboardWedgeDetector, wedgeConfigFrom } from '../shared/keyboard-wedge';
import { formatMoney } from '../shared/money';
import { DEFAULT_IDLE, type IdleConfig, idlePhase, type IdlePhase, idleSubject, type IdleSubject } from './idle';
import { CodeEntry } from './code-entry';
import { ItemFinder } from './item-finder';
import { KioskLine } from './kiosk-line';
import { LanguageChoice } from './language-choice';
import { MemberLogin } from './member-login';
import { noticeText } from './notice-text';

type Props = {
  status: Status;
  connected: boolean;
  t: Messages;
  bridge: TillBridge;
  sale: SaleView;
  onSale: (view: SaleView) => void;
  idle?: IdleConfig;
  /** The customer's choice of language for this visit; undefined gives the till's back. */
  onLanguage?: (locale: string | undefined) => void;
};

function checkText(c: SaleCheckView, t: Messages): string {
  return c.kind === 'age' ? t.kioskLockedAge.replace('{age}', String(c.ageLimit ?? '')) : t.kioskLockedWeight;
}

/**
 * The self-service kiosk: touch, large targets, no keyboard. An attract screen until the first scan; scans
 * come from the scanner (a keyboard wedge is recognised on the page, a serial or HID scanner through the
 * agent). A basket left alone warns, then clears. The help button flags the till for staff on every screen.
 */
export function KioskScreen(props: Props): preact.JSX.Element {
  const { t, sale, bridge } = props;
  const idleConfig = props.idle ?? DEFAULT_IDLE;
  const locale = props.status.locale;
  // The scanner's framing comes with the status; the detector is rebuilt only when the framing changes.
  const framing = props.status.keyboardWedge;
  const framingKey = JSON.stringify(framing);
  const money = (n: number): string => formatMoney(n, sale.currency, locale);
  const wording: WordingContext = { locale, currency: sale.currency };
  const lastActivity = useRef(Date.now());
  const [phase, setPhase] = useState<IdlePhase>({ phase: 'active' });
  const { flash } = useErrorFlash(sale.notice);
  const [payInfo, setPayInfo] = useState(false);
  const [login, setLogin] = useState(false);
  const [entry, setEntry] = useState<'code' | 'find' | undefined>(undefined);
  // "Sale completed" belongs to the sale just paid: once another basket has started (and maybe been cleared
  // by the idle timer), or the screen was reloaded, that receipt is an older customer's.
  const [pastReceipt, setPastReceipt] = useState(sale.lastReceipt?.receiptId);
  useEffect(() => {
    if (sale.lines.length > 0) setPastReceipt(sale.lastReceipt?.receiptId);
  }, [sale.lines.length > 0, sale.lastReceipt?.receiptId]);
  const language = (locale: string | undefined): void => props.onLanguage?.(locale);
  const chooseReceipt = (print: boolean): void => {
    language(undefined);
    void bridge.chooseReceipt({ print }).then(props.onSale, () => undefined);
  };
  const empty = sale.lines.length === 0;
  const subject = idleSubject({ lines: sale.lines.length, payment: sale.payment?.state ?? null, receiptOffer: sale.receiptOffer !== null });
  const state = useRef<{ subject: IdleSubject }>({ subject });
  state.current = { subject };

  const touch = (): void => {
    lastActivity.current = Date.now();
    setPhase({ phase: 'active' });
  };

  // Any change to the basket (a scan, also one from the hardware scanner) counts as activity.
  useEffect(touch, [sale.revision]);

  useEffect(() => {
    const timer = setInterval(() => {
      const watched = state.current.subject;
      const p = idlePhase(idleConfig, lastActivity.current, Date.now(), watched === 'none');
      if (watched === 'receipt' && p.phase !== 'active') {
        // The customer left without answering: the sale is paid and recorded; just skip the receipt.
        lastActivity.current = Date.now();
        chooseReceipt(false);
      } else if (p.phase === 'expired') {
        lastActivity.current = Date.now();
        setPayInfo(false);
        setLogin(false);
        setEntry(undefined);
        language(undefined);
        void bridge.cancelSale({}).then(props.onSale, () => undefined);
        setPhase({ phase: 'active' });
      } else setPhase(p);
    }, 1000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    const wedge = new KeyboardWedgeDetector(wedgeConfigFrom(framing));
    const onKey = (e: KeyboardEvent): void => {
      touch();
      // A kiosk has no keyboard for people: keys that would leave the screen (Alt+F4, Ctrl+W, F5, F11...) do nothing.
      if (e.ctrlKey || e.altKey || e.metaKey || /^F\d+$/.test(e.key)) {
        e.preventDefault();
        return;
      }
      const out = wedge.key(e.key, e.timeStamp, 'other');
      if (out.key === 'swallow') e.preventDefault();
      if (out.scan) void bridge.scan({ code: out.scan.code }).then((r) => props.onSale(r.sale), () => undefined);
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', touch, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', touch, true);
    };
  }, [framingKey]);

  const callStaff = (): void => {
    void bridge.requestHelp({}).then(props.onSale, () => undefined);
  };

  const payByCard = (): void => {
    setPayInfo(false);
    // Without a card terminal (or when it refuses to start) staff take the payment at their till.
    void bridge.payByCard({}).then(props.onSale, () => {
      setPayInfo(true);
      callStaff();
    });
  };

  const notice = sale.notice;
  const offer = empty ? sale.receiptOffer : null;
  const receipt = empty ? sale.lastReceipt : null;
  const justPaid = receipt !== null && receipt.receiptId !== pastReceipt;
  const entryButtons = (
    <div class="kiosk-entry-buttons">
      <button type="button" class="big" data-testid="kiosk-type-code" onClick={() => (touch(), setEntry('code'))}>
        {t.kioskTypeCode}
      </button>
      <button type="button" class="big" data-testid="kiosk-find-item" onClick={() => (touch(), setEntry('find'))}>
        {t.kioskFindItem}
      </button>
    </div>
  );
  const locked = sale.checks.pending.length > 0;
  const payment = sale.payment;
  const paying = payment?.state === 'waiting';
  return (
    <main class="screen kiosk">
      <header class="kiosk-top">
        <h1 data-testid="kiosk-store-name">{props.status.storeName}</h1>
        <button type="button" class="help" data-testid="kiosk-help" onClick={callStaff} aria-pressed={sale.help !== null}>
          {t.kioskHelp}
        </button>
      </header>
      <div class="kiosk-member">
        {sale.customer ? (
          <p data-testid="kiosk-member-name">{t.kioskWelcomeMember.replace('{name}', sale.customer.name ?? sale.customer.maskedId)}</p>
        ) : (
          <button type="button" class="big" data-testid="kiosk-member-login-open" onClick={() => (touch(), setLogin(true))}>
            {t.kioskMemberLogin}
          </button>
        )}
      </div>
      {login ? <MemberLogin t={t} wording={wording} bridge={bridge} onSale={props.onSale} onClose={() => setLogin(false)} onActivity={touch} /> : null}
      {entry === 'code' ? <CodeEntry t={t} wording={wording} bridge={bridge} onSale={props.onSale} onClose={() => setEntry(undefined)} onActivity={touch} /> : null}
      {entry === 'find' ? <ItemFinder t={t} bridge={bridge} locale={locale} money={money} onSale={props.onSale} onClose={() => setEntry(undefined)} onActivity={touch} /> : null}
      {sale.help ? (
        <p class="banner info" role="status" data-testid="kiosk-help-called">
          {t.kioskHelpCalled}
        </p>
      ) : null}
      {offer && receipt ? (
        <section class="kiosk-paid" data-testid="kiosk-receipt-offer" aria-labelledby="kiosk-thanks">
          <p class="attract-text" id="kiosk-thanks">
            {t.kioskThanks.replace('{amount}', money(receipt.totals.net))}
          </p>
          <p class="kiosk-question">{t.kioskReceiptQuestion}</p>
          <div class="kiosk-actions">
            <button type="button" class="big" data-testid="kiosk-receipt-skip" onClick={() => chooseReceipt(false)}>
              {t.kioskReceiptSkip}
            </button>
            <button type="button" class="big primary" data-testid="kiosk-receipt-print" onClick={() => chooseReceipt(true)}>
              {t.kioskReceiptPrint}
            </button>
          </div>
        </section>
      ) : empty ? (
        <section class="attract" data-testid="kiosk-attract" aria-live="polite">
          <p class="kiosk-greeting">{t.kioskWelcomeTo.replace('{store}', props.status.storeName)}</p>
          <p class="attract-text">{t.kioskWelcome}</p>
          {justPaid ? (
            <p class="muted" data-testid="kiosk-sale-done">
              {t.saleDone}: {money(receipt.totals.net)}
            </p>
          ) : null}
          {entryButtons}
          <LanguageChoice t={t} current={locale} onChoose={(l) => (touch(), language(l))} />
        </section>
      ) : (
        <section class="kiosk-basket" aria-label={t.kioskYourItems}>
          <div key={flash} class={`notice-bar ${notice?.level === 'error' ? 'error flash' : 'info'}`} role={notice?.level === 'error' ? 'alert' : 'status'} data-testid="kiosk-notice">
            {notice ? noticeText(notice, t, wording) : '\u00a0'}
          </div>
          <ul class="kiosk-lines" data-testid="kiosk-lines">
            {sale.lines.map((l) => (
              <KioskLine key={l.lineId} line={l} t={t} bridge={bridge} money={money} locale={locale} disabled={paying} onSale={props.onSale} onActivity={touch} />
            ))}
          </ul>
          {paying ? null : entryButtons}
          <div class="row kiosk-total">
            <span>{t.toPay}</span>
            <span data-testid="kiosk-total">{money(sale.totals.net)}</span>
          </div>
          {locked ? (
            <div class="kiosk-locked" role="alert" data-testid="kiosk-locked">
              <h2>{t.kioskLockedTitle}</h2>
              <ul>
                {sale.checks.pending.map((c) => (
                  <li key={`${c.kind}-${c.lineId}`}>
                    <strong>{c.description}</strong>: {checkText(c, t)}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {paying ? (
            <div class="kiosk-paying" role="status" aria-live="polite" data-testid="kiosk-paying">
              <p class="kiosk-question">{t.kioskPayWaiting}</p>
              <p class="kiosk-pay-amount">{money(payment.amount)}</p>
            </div>
          ) : null}
          {payment?.state === 'declined' ? (
            <p class="banner error" role="alert" data-testid="kiosk-pay-declined">
              {t.kioskPayDeclined}
              {/* The terminal's own text is English: shown on an English kiosk only. */}
              {payment.reason && wordDetail({}, payment.reason, wording) ? `: ${payment.reason}` : ''}
            </p>
          ) : null}
          {payment?.state === 'error' ? (
            <p class="banner error" role="alert" data-testid="kiosk-pay-error">
              {t.kioskPayError}
            </p>
          ) : null}
          {paying || payment?.state === 'error' ? null : (
            <div class="kiosk-actions">
              <button type="button" class="big" data-testid="kiosk-start-over" onClick={() => void bridge.cancelSale({}).then(props.onSale, () => undefined)}>
                {t.kioskStartOver}
              </button>
              <button type="button" class="big primary" data-testid="kiosk-pay" disabled={locked} onClick={payByCard}>
                {payment?.state === 'declined' ? t.kioskTryAgain : t.kioskPayCard}
              </button>
            </div>
          )}
          {payInfo ? (
            <p class="banner info" role="status">
              {t.kioskPayAtStaff}
            </p>
          ) : null}
        </section>
      )}
      {phase.phase === 'warning' ? (
        <div class="dialog-backdrop">
          <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" data-testid="kiosk-idle-warning">
            <h2 id="idle-title">{t.kioskStillThere}</h2>
            <p>{t.kioskClearingIn.replace('{n}', String(phase.secondsLeft))}</p>
            <div class="dialog-buttons">
              <button type="button" class="big primary" onClick={touch}>
                {t.kioskContinue}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </main>
  );
}
