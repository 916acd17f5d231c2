import { useState } from 'preact/hooks';
import type { Status, TillBridge } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { wordError, type WordingContext } from '../shared/i18n-errors';

/** What every manager view gets: the bridge, the live session, the till's status and its locale. */
export type ManagerContext = {
  readonly bridge: TillBridge;
  readonly session: string;
  readonly status: Status;
  readonly t: Messages;
  /** The agent answered 401: the session is gone, back to the PIN. */
  onExpired(): void;
};

export type Feedback = { readonly level: 'info' | 'error'; readonly text: string } | undefined;

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A refused manager call in the screen's language: the agent's reason worded (i18n-errors.ts), never its English. */
export function errorText(e: unknown, wording: WordingContext): string {
  return wordError(e, wording);
}

/**
 * Runs manager calls: one at a time per view (`busy`), errors shown in words, and an expired session sends the
 * manager back to the PIN instead of showing a raw 401.
 */
export function useManagerCall(ctx: ManagerContext): {
  busy: boolean;
  feedback: Feedback;
  setFeedback: (f: Feedback) => void;
  call: <T>(promise: () => Promise<T>, onDone?: (value: T) => void) => void;
} {
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<Feedback>(undefined);
  const call = <T,>(promise: () => Promise<T>, onDone?: (value: T) => void): void => {
    setBusy(true);
    promise()
      .then((value) => onDone?.(value))
      .catch((e: unknown) => {
        if (errorCode(e) === 'UNAUTHORIZED') ctx.onExpired();
        else setFeedback({ level: 'error', text: errorText(e, { locale: ctx.status.locale, currency: ctx.status.currency }) });
      })
      .finally(() => setBusy(false));
  };
  return { busy, feedback, setFeedback, call };
}

/** "{n} attempts" with the values put in. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** A duration in the largest unit that fits, formatted by Intl for the till's locale ("3 minutes", "2 horas"). */
export function formatDuration(ms: number, locale: string): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const [value, unit] = s < 60 ? [s, 'second'] : s < 3600 ? [Math.round(s / 60), 'minute'] : s < 48 * 3600 ? [Math.round(s / 3600), 'hour'] : [Math.round(s / 86_400), 'day'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

export { formatDateTime } from '../shared/dates';

export function FeedbackLine(props: { feedback: Feedback; testId: string }): preact.JSX.Element | null {
  const f = props.feedback;
  if (!f) return null;
  return (
    <p class={`banner ${f.level}`} role={f.level === 'error' ? 'alert' : 'status'} data-testid={props.testId}>
      {f.text}
    </p>
  );
}

/** Label and value pairs, one row each, the value in the code font (a rule explained, the till's settings). */
export function FactRows(props: { rows: readonly (readonly [string, string])[] }): preact.JSX.Element {
  return (
    <dl class="facts wide">
      {props.rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd class="code">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
