import type { ManagerSettings } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';

type Connection = 'none' | 'tcp' | 'serial' | 'usb';
type Parts = { readonly kind: Connection; readonly detail: string };

/**
 * A device address (`none`, `tcp://HOST:PORT`, `serial:PATH`, `usb:PATH`, as main/config/device-address.ts reads
 * it) split into the connection the manager picks and the host or path that goes with it, and back.
 */
export function addressParts(address: string): Parts {
  if (address.startsWith('tcp://')) return { kind: 'tcp', detail: address.slice('tcp://'.length) };
  if (address.startsWith('serial:')) return { kind: 'serial', detail: address.slice('serial:'.length) };
  if (address.startsWith('usb:')) return { kind: 'usb', detail: address.slice('usb:'.length) };
  return { kind: 'none', detail: '' };
}

export function addressOf(parts: Parts): string {
  const detail = parts.detail.trim();
  switch (parts.kind) {
    case 'none':
      return 'none';
    case 'tcp':
      return `tcp://${detail}`;
    case 'serial':
      return `serial:${detail}`;
    case 'usb':
      return `usb:${detail}`;
  }
}

type Choices = ManagerSettings['choices'];

/** The paths found for a connection, with the configured one kept even when it is not plugged in now. */
function pathsFor(kind: Connection, choices: Choices, current: string): { value: string; label: string }[] {
  const found = kind === 'serial' ? choices.serialPorts.map((p) => ({ value: p.path, label: p.label })) : kind === 'usb' ? choices.usbPrinters.map((p) => ({ value: p, label: p })) : [];
  return current !== '' && !found.some((f) => f.value === current) ? [{ value: current, label: current }, ...found] : found;
}

function PathField(props: { id: string; kind: 'serial' | 'usb'; parts: Parts; choices: Choices; t: Messages; onChange: (parts: Parts) => void }): preact.JSX.Element {
  const { id, kind, parts, choices, t } = props;
  const options = pathsFor(kind, choices, parts.detail);
  const set = (e: Event): void => props.onChange({ kind, detail: (e.target as HTMLInputElement | HTMLSelectElement).value });
  return (
    <div class="field">
      <label for={id}>{t.manager.devicePath}</label>
      {options.length === 0 ? (
        <>
          <input id={id} value={parts.detail} maxLength={200} autoComplete="off" spellcheck={false} aria-describedby={`${id}-hint`} onInput={set} />
          <span id={`${id}-hint`} class="muted small">
            {t.manager.noneFound}
          </span>
        </>
      ) : (
        <select id={id} value={parts.detail} onChange={set}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}

/** The first path found for a connection, so picking "Serial port" selects a real port at once. */
function firstPath(kind: Connection, choices: Choices): string {
  if (kind === 'serial') return choices.serialPorts[0]?.path ?? '';
  if (kind === 'usb') return choices.usbPrinters[0] ?? '';
  return '';
}

/**
 * A device setting as choices: the connection, then the network address or one of the ports found on this
 * machine (a typed path only when none is found). `kinds` limits the connections (a scanner has no network).
 */
export function DeviceChoice(props: {
  id: string;
  label: string;
  kinds: readonly Connection[];
  /** The configured address: switching back to its connection brings back its host or path. */
  configured: string;
  address: string;
  choices: Choices;
  t: Messages;
  onChange: (address: string) => void;
}): preact.JSX.Element {
  const { id, label, kinds, choices, t } = props;
  const m = t.manager;
  const parts = addressParts(props.address);
  const names: Record<Connection, string> = { none: m.connectionNone, tcp: m.connectionNetwork, serial: m.connectionSerial, usb: m.connectionUsb };
  const change = (next: Parts): void => props.onChange(addressOf(next));
  const pick = (e: Event): void => {
    const kind = (e.target as HTMLSelectElement).value as Connection;
    const configured = addressParts(props.configured);
    change({ kind, detail: kind === parts.kind ? parts.detail : kind === configured.kind ? configured.detail : firstPath(kind, choices) });
  };
  return (
    <>
      <div class="field">
        <label for={`${id}-kind`}>{label}</label>
        <select id={`${id}-kind`} value={parts.kind} onChange={pick}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {names[k]}
            </option>
          ))}
        </select>
      </div>
      {parts.kind === 'tcp' ? (
        <div class="field">
          <label for={`${id}-host`}>{m.networkHost}</label>
          <input
            id={`${id}-host`}
            value={parts.detail}
            maxLength={200}
            autoComplete="off"
            spellcheck={false}
            onInput={(e) => change({ kind: 'tcp', detail: (e.target as HTMLInputElement).value })}
          />
        </div>
      ) : parts.kind === 'serial' || parts.kind === 'usb' ? (
        <PathField id={`${id}-path`} kind={parts.kind} parts={parts} choices={choices} t={t} onChange={change} />
      ) : null}
    </>
  );
}
