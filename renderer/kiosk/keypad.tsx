/**
 * The kiosk's on-screen keys: large targets, no physical keyboard. One component for the digit pads (member
 * number, a barcode typed by hand) and the letter pad of the item finder, so they look and behave alike.
 */
type Props = {
  readonly keys: readonly string[];
  readonly label: string;
  readonly backLabel: string;
  readonly onKey: (key: string) => void;
  readonly onBack: () => void;
  readonly disabled?: (key: string) => boolean;
  readonly testId?: string;
};

export function Keypad(props: Props): preact.JSX.Element {
  return (
    <div class={props.keys.length > 12 ? 'keypad letters' : 'keypad'} role="group" aria-label={props.label} data-testid={props.testId}>
      {props.keys.map((k) => (
        <button type="button" class="big" key={k} data-testid={`kiosk-key-${k}`} onClick={() => props.onKey(k)} disabled={props.disabled?.(k) ?? false}>
          {k}
        </button>
      ))}
      <button type="button" class="big" data-testid="kiosk-key-back" aria-label={props.backLabel} onClick={props.onBack}>
        ⌫
      </button>
    </div>
  );
}
