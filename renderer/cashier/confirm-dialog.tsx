import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Messages } from '../shared/i18n';
import { wordError, type WordingContext } from '../shared/i18n-errors';

/**
 * Asks before something that cannot be taken back (delete a line, cancel the sale). The confirm button has the
 * focus, so Delete then Enter is two deliberate keys; Escape (handled by the screen) or "No, keep it" leaves
 * everything as it was. A refused call keeps the dialog open with the reason.
 */
export function ConfirmDialog(props: { id: string; title: string; confirmLabel: string; children?: ComponentChildren; t: Messages; wording: WordingContext; onConfirm: () => Promise<void>; onClose: () => void }): preact.JSX.Element {
  const yes = useRef<HTMLButtonElement>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const confirm = (): void => {
    if (busy) return;
    setBusy(true);
    props
      .onConfirm()
      .then(props.onClose)
      .catch((err: unknown) => setError(`${props.t.noticeFailed}: ${wordError(err, props.wording)}`))
      .finally(() => setBusy(false));
  };
  const confirmRef = useRef(confirm);
  confirmRef.current = confirm;
  // Focus and Enter from the very render that shows the dialog (a layout effect, not a deferred one): Delete then
  // Enter typed at once must delete, not land in the scan field. Enter on "No, keep it" keeps.
  useLayoutEffect(() => {
    yes.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Enter' || (e.target instanceof HTMLElement && e.target.dataset.testid === 'confirm-no')) return;
      e.preventDefault();
      e.stopPropagation();
      confirmRef.current();
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
  return (
    <div class="dialog-backdrop">
      <div class="dialog confirm" role="alertdialog" aria-modal="true" aria-labelledby={`${props.id}-title`} data-testid={`dialog-${props.id}`}>
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {props.children}
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <div class="dialog-buttons">
          <button type="button" data-testid="confirm-no" onClick={props.onClose}>
            {props.t.sale.keep} (Esc)
          </button>
          <button type="button" class="danger" ref={yes} data-testid="confirm-yes" disabled={busy} onClick={confirm}>
            {props.confirmLabel} (Enter)
          </button>
        </div>
      </div>
    </div>
  );
}
