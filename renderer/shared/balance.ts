import type { BalanceView } from '../../main/api/contract';
import type { Messages } from './i18n';

/** "3 hours ago", "5 minutes ago", "2 days ago", in the till's language (Intl.RelativeTimeFormat). */
export function ageText(asOf: string, now: number, locale: string): string {
  const ms = Math.max(0, now - Date.parse(asOf));
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return rtf.format(-hours, 'hour');
  return rtf.format(-Math.floor(hours / 24), 'day');
}

/**
 * A balance for the cashier: the amount, and when it is the last known figure (the back end could not be asked)
 * how old it is, "kr 500,00 (as of 3 hours ago)". A balance just read from the back end needs no age.
 */
export function balanceText(b: BalanceView, money: (n: number) => string, t: Messages, locale: string, now: number): string {
  return b.source === 'cache' ? `${money(b.amount)} (${t.balanceAsOf.replace('{ago}', ageText(b.asOf, now, locale))})` : money(b.amount);
}

/** Points are worth one minor unit each (docs/ledger.md): "1 250 points (kr 12,50)", with the age when cached. */
export function pointsText(b: BalanceView, money: (n: number) => string, t: Messages, locale: string, now: number): string {
  const count = `${new Intl.NumberFormat(locale).format(b.amount)} ${t.points.toLowerCase()}`;
  const age = b.source === 'cache' ? `, ${t.balanceAsOf.replace('{ago}', ageText(b.asOf, now, locale))}` : '';
  return `${count} (${money(b.amount)}${age})`;
}
