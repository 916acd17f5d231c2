import { useState } from 'preact/hooks';
import type { GiftCardCheck, TenderInput } from '../../main/api/contract';
import { balanceText, pointsText } from '../shared/balance';
import { formatMoney, parseAmount } from '../shared/money';
import { Dialog, type DialogProps, errorText, Field } from './dialogs';

/**
 * Value tenders: a gift card (its number typed or scanned into the field, the balance checked first) and the
 * identified member's points. Both may be part of a split: an amount left empty pays what is due or the whole
 * balance if that is less, and the rest is taken with another tender. Offline the agent takes them within the
 * offline limits; its refusal (which limit, what is left, how old the balance is) is shown here as it comes.
 */
function usePay(p: DialogProps): { error: string | undefined; setError: (e: string | undefined) => void; pay: (input: TenderInput) => void } {
  const [error, setError] = useState<string | undefined>(undefined);
  const pay = (input: TenderInput): void => {
    setError(undefined);
    p.bridge
      .addTender(input)
      .then((r) => {
        p.onSale(r.sale);
        p.onClose();
      })
      .catch((err: unknown) => setError(errorText(err, p)));
  };
  return { error, setError, pay };
}

function amountOf(text: string, currency: string): number | undefined | 'bad' {
  if (text.trim() === '') return undefined;
  const minor = parseAmount(text, currency);
  return minor === undefined || minor <= 0 ? 'bad' : minor;
}

export function GiftCardDialog(p: DialogProps): preact.JSX.Element {
  const money = (n: number): string => formatMoney(n, p.sale.currency, p.locale);
  const [card, setCard] = useState('');
  // Passed to the agent with the lookup and the tender, never kept (docs/local-api.md): an empty field sends none.
  const [pin, setPin] = useState('');
  const [amount, setAmount] = useState('');
  const [check, setCheck] = useState<GiftCardCheck | undefined>(undefined);
  const { error, setError, pay } = usePay(p);
  const checkBalance = (): void => {
    if (card.trim().length < 4) return setError(`${p.t.cardNumber}?`);
    setError(undefined);
    p.bridge
      .checkGiftCard({ cardNumber: card.trim(), ...(pin.trim() !== '' ? { pin: pin.trim() } : {}) })
      .then(setCheck)
      .catch((err: unknown) => setError(errorText(err, p)));
  };
  const submit = (): void => {
    if (card.trim().length < 4) return setError(`${p.t.cardNumber}?`);
    const a = amountOf(amount, p.sale.currency);
    if (a === 'bad') return setError(`${p.t.amount}?`);
    pay({ kind: 'gift_card', cardNumber: card.trim(), ...(pin.trim() !== '' ? { pin: pin.trim() } : {}), ...(a !== undefined ? { amount: a } : {}) });
  };
  return (
    <Dialog id="tender-gift-card" title={p.t.giftCard} error={error} onSubmit={submit} submitLabel={p.t.takeGiftCard} t={p.t} onClose={p.onClose}>
      <p class="due">
        {p.t.remaining}: <strong data-testid="tender-remaining">{money(p.sale.remaining)}</strong>
      </p>
      <Field id="gift-card-number" label={p.t.cardNumber} value={card} onInput={(v) => (setCard(v), setCheck(undefined))} />
      <Field id="gift-card-pin" label={p.t.giftCardPin} value={pin} type="password" inputMode="numeric" onInput={(v) => (setPin(v), setCheck(undefined))} />
      <div class="quick">
        <button type="button" data-testid="gift-card-check" onClick={checkBalance}>
          {p.t.checkBalance}
        </button>
      </div>
      {check ? (
        <p data-testid="gift-card-balance" role="status">
          {check.maskedCard}:{' '}
          {check.status === 'found' && check.balance
            ? `${p.t.balance} ${balanceText(check.balance, money, p.t, p.locale, Date.now())}`
            : check.status === 'not_found'
              ? p.t.giftCardUnknown
              : p.t.balanceUnavailable}
        </p>
      ) : null}
      <Field id="gift-card-amount" label={p.t.amount} value={amount} onInput={setAmount} inputMode="decimal" placeholder={money(p.sale.remaining)} />
    </Dialog>
  );
}

export function PointsDialog(p: DialogProps): preact.JSX.Element {
  const money = (n: number): string => formatMoney(n, p.sale.currency, p.locale);
  const [amount, setAmount] = useState('');
  const { error, setError, pay } = usePay(p);
  const member = p.sale.customer?.memberId !== undefined ? p.sale.customer : null;
  const submit = (): void => {
    if (!member) return setError(p.t.pointsNeedMember);
    const a = amountOf(amount, p.sale.currency);
    if (a === 'bad') return setError(`${p.t.amount}?`);
    pay({ kind: 'points', ...(a !== undefined ? { amount: a } : {}) });
  };
  return (
    <Dialog id="tender-points" title={p.t.payWithPoints} error={error ?? (member ? undefined : p.t.pointsNeedMember)} onSubmit={submit} submitLabel={member ? p.t.takePoints : undefined} t={p.t} onClose={p.onClose}>
      <p class="due">
        {p.t.remaining}: <strong data-testid="tender-remaining">{money(p.sale.remaining)}</strong>
      </p>
      {member ? (
        <p data-testid="points-balance">
          {member.name ?? member.maskedId} · {p.t.points}: {member.points ? pointsText(member.points, money, p.t, p.locale, Date.now()) : '—'}
        </p>
      ) : null}
      {member ? <Field id="points-amount" label={p.t.amount} value={amount} onInput={setAmount} inputMode="decimal" placeholder={money(Math.min(p.sale.remaining, member.points?.amount ?? p.sale.remaining))} /> : null}
    </Dialog>
  );
}
