import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ItemView, SaleView, TenderInput, TillBridge } from '../../main/api/contract';
import { formatTime } from '../shared/dates';
import type { Messages } from '../shared/i18n';
import { wordError } from '../shared/i18n-errors';
import { formatMoney, minorDigits, parseAmount } from '../shared/money';

export type DialogKind = 'quantity' | 'priceCheck' | 'search' | 'customer' | 'cash' | 'card' | 'giftCard' | 'points' | 'resume' | 'confirmVoid' | 'confirmCancel';

export type DialogProps = {
  bridge: TillBridge;
  sale: SaleView;
  selected: number | undefined;
  locale: string;
  /** The store's time zone: times are shown in it, not the machine's. */
  timeZone: string;
  t: Messages;
  /** A newer view from an answer (the screen keeps the newest). */
  onSale: (view: SaleView) => void;
  onClose: () => void;
};

/** A refused call in the screen's language (the agent's reason, worded by i18n-errors.ts). */
export function errorText(err: unknown, p: Pick<DialogProps, 't' | 'locale' | 'sale'>): string {
  return `${p.t.noticeFailed}: ${wordError(err, { locale: p.locale, currency: p.sale.currency })}`;
}

/** A modal panel: labelled, its first field focused, Escape (handled by the screen) closes it. */
export function Dialog(props: { id: string; title: string; children: ComponentChildren; error: string | undefined; onSubmit: () => void; submitLabel?: string | undefined; t: Messages; onClose: () => void }): preact.JSX.Element {
  const form = useRef<HTMLFormElement>(null);
  // In the render that opens the dialog (not a deferred effect): F2 then 4 typed at once must reach the field.
  useLayoutEffect(() => {
    // The first field, else the first button: a dialog's choice buttons come before its field.
    const input = form.current?.querySelector<HTMLInputElement>('input');
    if (input) {
      input.focus();
      // The value is selected, so the first key replaces it: typing 4 in a quantity of 1 gives 4, not 14.
      input.select();
    } else form.current?.querySelector<HTMLElement>('button')?.focus();
  }, []);
  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby={`${props.id}-title`} data-testid={`dialog-${props.id}`}>
      <form
        ref={form}
        onSubmit={(e) => {
          e.preventDefault();
          props.onSubmit();
        }}
      >
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {props.children}
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <div class="dialog-buttons">
          <button type="button" onClick={props.onClose}>
            {props.t.close} (Esc)
          </button>
          {props.submitLabel ? (
            <button type="submit" class="primary">
              {props.submitLabel}
            </button>
          ) : null}
        </div>
      </form>
      </div>
    </div>
  );
}

export function Field(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  inputMode?: 'numeric' | 'decimal' | 'text';
  placeholder?: string | undefined;
  /** `password` hides what is typed (a card's PIN) from whoever stands behind the customer. */
  type?: 'text' | 'password';
}): preact.JSX.Element {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        data-testid={props.id}
        // Preact types a password input apart from a text one; both take the same attributes used here.
        {...({ type: props.type ?? 'text' } as { type: 'text' })}
        value={props.value}
        inputMode={props.inputMode ?? 'text'}
        autoComplete="off"
        placeholder={props.placeholder}
        onInput={(e) => props.onInput((e.currentTarget).value)}
      />
    </div>
  );
}

export function QuantityDialog(p: DialogProps): preact.JSX.Element {
  const line = p.sale.lines.find((l) => l.lineId === p.selected);
  const [value, setValue] = useState(line ? String(line.quantity) : '');
  const [error, setError] = useState<string | undefined>(line ? undefined : p.t.selectLine);
  const submit = (): void => {
    const n = Number(value);
    if (!line || !Number.isInteger(n) || n < 1) return setError(p.t.selectLine);
    p.bridge
      .setQuantity({ lineId: line.lineId, quantity: n })
      .then((view) => {
        p.onSale(view);
        p.onClose();
      })
      .catch((err: unknown) => setError(errorText(err, p)));
  };
  return (
    <Dialog id="quantity" title={`${p.t.quantity}${line ? `: ${line.description}` : ''}`} error={error} onSubmit={submit} submitLabel={p.t.apply} t={p.t} onClose={p.onClose}>
      <Field id="quantity-input" label={p.t.newQuantity} value={value} onInput={setValue} inputMode="numeric" />
    </Dialog>
  );
}

export function PriceCheckDialog(p: DialogProps): preact.JSX.Element {
  const [code, setCode] = useState('');
  const [item, setItem] = useState<ItemView | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = (): void => {
    p.bridge
      .priceCheck({ code })
      .then((r) => {
        setItem(r.item);
        setError(r.item ? undefined : `${p.t.noticeUnknownItem}: ${code}`);
      })
      .catch((err: unknown) => setError(errorText(err, p)));
  };
  return (
    <Dialog id="price-check" title={p.t.priceCheck} error={error} onSubmit={submit} submitLabel={p.t.priceCheck} t={p.t} onClose={p.onClose}>
      <Field id="price-check-input" label={p.t.codeToCheck} value={code} onInput={setCode} />
      {item ? (
        <p class="price-check-result" data-testid="price-check-result">
          <strong>{item.name}</strong> {formatMoney(item.unitPrice, p.sale.currency, p.locale)}
          {item.unit === 'weight' ? ` ${p.t.perKg}` : ''}
        </p>
      ) : null}
    </Dialog>
  );
}

export function SearchDialog(p: DialogProps): preact.JSX.Element {
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<readonly ItemView[] | undefined>(undefined);
  const [grams, setGrams] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = (): void => {
    p.bridge
      .searchItems({ query })
      .then((r) => setItems(r.items))
      .catch((err: unknown) => setError(errorText(err, p)));
  };
  const add = (item: ItemView): void => {
    const g = Number(grams);
    if (item.unit === 'weight' && !(Number.isInteger(g) && g > 0)) return setError(p.t.noticeWeightRequired);
    p.bridge
      .addItem({ itemId: item.itemId, ...(item.unit === 'weight' ? { grams: g } : {}) })
      .then((view) => {
        p.onSale(view);
        p.onClose();
      })
      .catch((err: unknown) => setError(errorText(err, p)));
  };
  return (
    <Dialog id="search" title={p.t.search} error={error} onSubmit={submit} submitLabel={p.t.search} t={p.t} onClose={p.onClose}>
      <Field id="search-input" label={p.t.searchName} value={query} onInput={setQuery} />
      <Field id="search-grams" label={p.t.grams} value={grams} onInput={setGrams} inputMode="numeric" />
      {items?.length === 0 ? <p>{p.t.noResults}</p> : null}
      <ul class="choices">
        {items?.map((item) => (
          <li key={item.itemId}>
            <span>
              {item.name} · {formatMoney(item.unitPrice, p.sale.currency, p.locale)}
              {item.unit === 'weight' ? ` ${p.t.perKg}` : ''}
            </span>
            <button type="button" onClick={() => add(item)}>
              {p.t.add}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

/**
 * Who the customer is: a membership number or a phone number typed here, or the member's QR scanned (anywhere on
 * the screen). The agent looks the member up (online, or in its cache offline) and re-prices the basket.
 */
export function CustomerDialog(p: DialogProps): preact.JSX.Element {
  const [by, setBy] = useState<'number' | 'phone'>('number');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const send = (input: Parameters<TillBridge['identifyCustomer']>[0]): void => {
    setBusy(true);
    setError(undefined);
    p.bridge
      .identifyCustomer(input)
      .then((view) => {
        p.onSale(view);
        p.onClose();
      })
      .catch((err: unknown) => setError(errorText(err, p)))
      .finally(() => setBusy(false));
  };
  const submit = (): void => {
    const v = value.trim();
    if (v === '') return setError(`${by === 'number' ? p.t.byMemberNumber : p.t.byPhone}?`);
    if (/^member:/i.test(v)) return send({ qr: v });
    send(by === 'number' ? { memberNumber: v } : { phone: v });
  };
  return (
    <Dialog id="customer" title={p.t.identify} error={error} onSubmit={submit} submitLabel={p.t.lookUp} t={p.t} onClose={p.onClose}>
      <div class="segmented" role="group" aria-label={p.t.identifyBy}>
        <button type="button" data-testid="identify-by-number" aria-pressed={by === 'number'} onClick={() => setBy('number')}>
          {p.t.byMemberNumber}
        </button>
        <button type="button" data-testid="identify-by-phone" aria-pressed={by === 'phone'} onClick={() => setBy('phone')}>
          {p.t.byPhone}
        </button>
      </div>
      <Field id="member-input" label={by === 'number' ? p.t.byMemberNumber : p.t.byPhone} value={value} onInput={setValue} inputMode={by === 'number' ? 'numeric' : 'text'} />
      <p class="muted small">{p.t.identifyHint}</p>
      {busy ? <p aria-busy="true">{p.t.noticeMemberLookup}…</p> : null}
      {p.sale.customer ? (
        <button type="button" data-testid="remove-customer" onClick={() => send({})}>
          {p.t.removeCustomer}
        </button>
      ) : null}
    </Dialog>
  );
}

/** Round amounts a customer is likely to hand over: the next multiple of 50, 100, 200, 500 and 1000 (major units). */
export function quickCashAmounts(remaining: number, currency: string): number[] {
  const unit = 10 ** minorDigits(currency);
  const out = new Set<number>();
  for (const step of [50, 100, 200, 500, 1000]) {
    const next = Math.ceil(remaining / (step * unit)) * step * unit;
    if (next > remaining) out.add(next);
  }
  return [...out].sort((a, b) => a - b).slice(0, 4);
}

export function TenderDialog(p: DialogProps & { kind: 'cash' | 'card' }): preact.JSX.Element {
  const money = (n: number): string => formatMoney(n, p.sale.currency, p.locale);
  const [amount, setAmount] = useState('');
  const [ref, setRef] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  // What rounding the cash due carries: the cash part rounded to the store's cash unit, less the unrounded rest.
  const rounding = p.sale.tenders.some((x) => x.kind === 'cash') ? 0 : p.sale.cashDue - p.sale.remaining;
  // A till without an integrated terminal: the cashier only confirms the stand-alone terminal approved (Enter).
  const external = p.kind === 'card' && p.sale.cardTerminal === 'external';
  const pay = (minor: number | undefined): void => {
    const amount = minor !== undefined ? { amount: minor } : {};
    if (p.kind === 'card' && !external && ref.trim() === '') return setError(`${p.t.terminalRef}?`);
    const input: TenderInput = p.kind === 'cash' ? { kind: 'cash', ...amount } : external ? { kind: 'card', terminal: 'external', ...amount } : { kind: 'card', terminalRef: ref.trim(), ...amount };
    p.bridge
      .addTender(input)
      .then((r) => {
        p.onSale(r.sale);
        if (r.committed || r.sale.remaining > 0) p.onClose();
      })
      .catch((err: unknown) => setError(errorText(err, p)));
  };
  const submit = (): void => {
    if (amount.trim() === '') return pay(undefined);
    const minor = parseAmount(amount, p.sale.currency);
    if (minor === undefined || minor <= 0) return setError(`${p.t.amount}?`);
    pay(minor);
  };
  return (
    <Dialog
      id={`tender-${p.kind}`}
      title={p.kind === 'cash' ? p.t.cash : p.t.card}
      error={error}
      onSubmit={submit}
      submitLabel={p.kind === 'cash' ? p.t.takeCash : external ? p.t.externalCardApproved : p.t.takeCard}
      t={p.t}
      onClose={p.onClose}
    >
      <p class="due">
        {p.t.remaining}: <strong data-testid="tender-remaining">{money(p.sale.remaining)}</strong>
      </p>
      {p.kind === 'cash' && p.sale.cashDue !== p.sale.remaining ? (
        <>
          {rounding !== 0 ? (
            <p class="due small" data-testid="tender-cash-rounding">
              {p.t.cashRoundingLine}: {rounding > 0 ? '+' : '−'}
              {money(Math.abs(rounding))}
            </p>
          ) : null}
          <p class="due">
            {p.t.cashToPay}: <strong data-testid="tender-cash-due">{money(p.sale.cashDue)}</strong>
          </p>
        </>
      ) : null}
      {external ? (
        <p class="due" data-testid="external-card-confirm">
          {p.t.externalCardConfirm}
        </p>
      ) : null}
      <Field
        id={`${p.kind}-amount`}
        label={p.kind === 'cash' ? p.t.handedOver : p.t.amount}
        value={amount}
        onInput={setAmount}
        inputMode="decimal"
        placeholder={money(p.kind === 'cash' ? p.sale.cashDue : p.sale.remaining)}
      />
      {p.kind === 'card' && !external ? <Field id="card-ref" label={p.t.terminalRef} value={ref} onInput={setRef} /> : null}
      {p.kind === 'cash' ? (
        <div class="quick">
          <button type="button" onClick={() => pay(undefined)} data-testid="cash-exact">
            {p.t.exact}
          </button>
          {quickCashAmounts(p.sale.cashDue, p.sale.currency).map((a) => (
            <button type="button" key={a} onClick={() => pay(a)}>
              {money(a)}
            </button>
          ))}
        </div>
      ) : null}
    </Dialog>
  );
}

export function ResumeDialog(p: DialogProps): preact.JSX.Element {
  const [error, setError] = useState<string | undefined>(undefined);
  const resume = (id: string): void => {
    p.bridge
      .resumeSale({ id })
      .then((view) => {
        p.onSale(view);
        p.onClose();
      })
      .catch((err: unknown) => setError(errorText(err, p)));
  };
  return (
    <Dialog id="resume" title={p.t.suspendedBaskets} error={error} onSubmit={() => undefined} t={p.t} onClose={p.onClose}>
      {p.sale.suspended.length === 0 ? <p>{p.t.noSuspended}</p> : null}
      <ul class="choices">
        {p.sale.suspended.map((s) => (
          <li key={s.id}>
            <span>
              {s.id} · {s.lines} {p.t.lines} · {formatMoney(s.net, p.sale.currency, p.locale)} ·{' '}
              {formatTime(s.suspendedAt, p.locale, p.timeZone)}
            </span>
            <button type="button" onClick={() => resume(s.id)}>
              {p.t.resume}
            </button>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
