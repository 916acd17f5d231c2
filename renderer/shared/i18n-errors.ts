import { ERROR_REASONS, isErrorReason, type ReasonParamKind } from '../../main/api/contract';
import type { ErrorWordings } from './error-wording-types';
import { EN } from './error-wordings-en';
import { ES } from './error-wordings-es';
import { NB } from './error-wordings-nb';
import { formatMoney } from './money';

/**
 * Words what the agent refused in the screen's language (docs/renderer.md "Reason codes"). The agent sends a
 * reason code with parameters (main/core/error-reasons.ts) beside its English message; the screen shows the
 * wording, never the English message, except on an English screen for a failure that has no reason at all.
 */
export type ErrorLanguage = 'en' | 'nb' | 'es';

const WORDINGS: Readonly<Record<ErrorLanguage, ErrorWordings>> = { en: EN, nb: NB, es: ES };

/** Where the wording goes: the screen's locale (picks the language, formats numbers) and the till's currency. */
export type WordingContext = { readonly locale: string; readonly currency: string };

/** The language of a locale as the message catalogs pick it (nb, nn and no are Norwegian; unknown is English). */
export function errorLanguage(locale: string): ErrorLanguage {
  const language = (locale.toLowerCase().split('-')[0] ?? 'en').trim();
  if (language === 'nb' || language === 'no' || language === 'nn') return 'nb';
  return language === 'es' ? 'es' : 'en';
}

export function wordingsFor(language: ErrorLanguage): ErrorWordings {
  return WORDINGS[language];
}

function formatParam(kind: ReasonParamKind | undefined, value: string | number, ctx: WordingContext, w: ErrorWordings): string {
  if (kind === 'money' && typeof value === 'number') return formatMoney(value, ctx.currency, ctx.locale);
  if (kind === 'number' && typeof value === 'number') return new Intl.NumberFormat(ctx.locale).format(value);
  if (kind === 'tender') return (w.tenders as Record<string, string | undefined>)[String(value)] ?? String(value);
  return String(value);
}

/** Fills `{name}` from the parameters, each formatted by its kind; a placeholder without a value stays out. */
function fill(template: string, kinds: Readonly<Record<string, ReasonParamKind>>, params: Readonly<Record<string, string | number>>, ctx: WordingContext, w: ErrorWordings): string {
  return template.replace(/\{(\w+)\}/g, (_all, name: string) => {
    const value = params[name];
    return value === undefined ? '' : formatParam(kinds[name], value, ctx, w);
  });
}

/**
 * A reason with its parameters in the screen's language. A reason this screen does not know (a newer agent)
 * gives the generic sentence with the code, never the agent's English.
 */
export function wordReason(reason: string, params: Readonly<Record<string, string | number>> | undefined, ctx: WordingContext): string {
  const w = WORDINGS[errorLanguage(ctx.locale)];
  if (!isErrorReason(reason)) return w.generic.replace('{code}', reason);
  return fill(w.reasons[reason], ERROR_REASONS[reason], params ?? {}, ctx, w);
}

/** What a failed call carries, as the API client's ApiError has it (kept structural: no import of the client). */
type Failure = { readonly code?: unknown; readonly reason?: unknown; readonly params?: unknown; readonly message?: unknown };

function paramsOf(value: unknown): Readonly<Record<string, string | number>> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, string | number>) : undefined;
}

/**
 * A failed call in the screen's language: its reason when it has one; else its error code's sentence; else
 * the generic sentence. An English screen shows the agent's own message for a failure without a reason (it
 * says more than the code's sentence); other languages never do.
 */
export function wordError(err: unknown, ctx: WordingContext): string {
  const language = errorLanguage(ctx.locale);
  const w = WORDINGS[language];
  const f: Failure = typeof err === 'object' && err !== null ? (err) : {};
  if (typeof f.reason === 'string') return wordReason(f.reason, paramsOf(f.params), ctx);
  if (language === 'en' && typeof f.message === 'string' && f.message !== '') return f.message;
  const code = typeof f.code === 'string' ? f.code : 'INTERNAL';
  const byCode = (w.codes as Record<string, string | undefined>)[code];
  return byCode ?? w.generic.replace('{code}', code);
}

/** A notice, view field or device state that may carry a reason: its wording, else `fallback` on English only. */
export function wordDetail(source: { readonly reason?: string | undefined; readonly params?: Readonly<Record<string, string | number>> | undefined }, english: string | undefined, ctx: WordingContext): string | undefined {
  if (source.reason !== undefined) return wordReason(source.reason, source.params, ctx);
  return errorLanguage(ctx.locale) === 'en' ? english : undefined;
}
