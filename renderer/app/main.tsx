import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentEvent, SaleView, Status, TillBridge, ShellBridge } from '../../main/api/contract';
import { CashierScreen } from '../cashier/cashier-screen';
import { KioskScreen } from '../kiosk/kiosk-screen';
import { ManagerScreen } from '../manager/manager-screen';
import { httpBridge, shellClient, subscribeEvents, subscribeShellEvents, takeToken } from '../shared/api-client';
import { messagesFor } from '../shared/i18n';
import { wordError } from '../shared/i18n-errors';
import type { IdleConfig } from '../kiosk/idle';
import '../shared/styles.css';

type Wiring = { bridge: TillBridge; shell: ShellBridge; token: undefined } | { bridge: TillBridge; shell: undefined; token: string } | { bridge: undefined; shell: undefined; token: undefined };

function wire(): Wiring {
  if (globalThis.till) return { bridge: shellClient(globalThis.till), shell: globalThis.till, token: undefined };
  const token = takeToken(location, sessionStorage, history);
  return token ? { bridge: httpBridge(token), shell: undefined, token } : { bridge: undefined, shell: undefined, token: undefined };
}

/** `#/attendant` on a kiosk till shows the cashier surface: the attendant's view of the kiosk (approvals, help). */
function attendantView(): boolean {
  return location.hash === '#/attendant';
}

/** Keeps the newest view: answers and events can cross on the wire, and an older one must not win. */
function newer(current: SaleView | undefined, next: SaleView): SaleView {
  return current && current.revision > next.revision ? current : next;
}

/** `?idle=WARN_S,CLEAR_S` shortens the kiosk's idle timer (store staff testing a kiosk; the end-to-end test). */
function idleFromUrl(): IdleConfig | undefined {
  const m = /^(\d+),(\d+)$/.exec(new URLSearchParams(location.search).get('idle') ?? '');
  return m ? { warnAfterMs: Number(m[1]) * 1000, clearAfterMs: Number(m[2]) * 1000 } : undefined;
}

/** `#/manager` shows the manager back office; anything else the till's own surface. */
function isManagerRoute(hash: string): boolean {
  return hash.startsWith('#/manager');
}

/**
 * Ctrl+M goes to the manager view and back. On `window`, in the capture phase, so no screen's keys see it. Not on
 * a kiosk: a customer's keyboard must not leave the kiosk screen (staff open `#/manager` at the kiosk's URL).
 */
function useManagerRoute(shortcut: boolean): boolean {
  const [hash, setHash] = useState(location.hash);
  const enabled = useRef(shortcut);
  enabled.current = shortcut;
  useEffect(() => {
    const onHash = (): void => setHash(location.hash);
    const onKey = (e: KeyboardEvent): void => {
      if (!enabled.current || !e.ctrlKey || e.altKey || e.metaKey || e.shiftKey || e.key.toLowerCase() !== 'm') return;
      e.preventDefault();
      e.stopPropagation();
      location.hash = isManagerRoute(location.hash) ? '#/' : '#/manager';
    };
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey, true);
    };
  }, []);
  return isManagerRoute(hash);
}

function App(): preact.JSX.Element {
  const [wiring] = useState(wire);
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [sale, setSale] = useState<SaleView | undefined>(undefined);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  // A kiosk customer may pick another language for their visit; the till's locale comes back after it.
  const [customerLocale, setCustomerLocale] = useState<string | undefined>(undefined);
  const locale = (status?.mode === 'kiosk' ? customerLocale : undefined) ?? status?.locale ?? navigator.language;
  const t = messagesFor(locale);
  const manager = useManagerRoute(status?.mode === 'cashier');
  const onSale = (view: SaleView): void => setSale((cur) => newer(cur, view));

  useEffect(() => {
    const bridge = wiring.bridge;
    if (!bridge) return undefined;
    const load = (): void => {
      Promise.all([bridge.getStatus(undefined), bridge.getSale(undefined)])
        .then(([s, view]) => {
          setStatus(s);
          // After a reconnect the agent may have restarted (revisions start again): take its view as it is.
          setSale(view);
          setConnected(true);
        })
        // No status yet, so no till locale: the browser's, as the catalog below; a load failure names no amount.
        .catch((e: unknown) => setError(wordError(e, { locale: navigator.language, currency: 'EUR' })));
    };
    load();
    let first = true;
    const onEvent = (event: AgentEvent): void => {
      if (event.type === 'status') setStatus(event.status);
      else if (event.type === 'sale') onSale(event.sale);
      else if (event.type === 'hello') {
        if (!first) load();
        first = false;
      }
    };
    // Electron: the main process pushes the same events on the preload's event channel.
    if (wiring.shell) return subscribeShellEvents(wiring.shell, onEvent);
    if (!wiring.token) return undefined;
    return subscribeEvents(wiring.token, onEvent, setConnected);
  }, [wiring]);

  useEffect(() => {
    if (status) document.documentElement.lang = locale;
  }, [locale, status !== undefined]);

  if (!wiring.bridge) return <p class="notice" role="alert">{t.noToken}</p>;
  if (error) return <p class="notice" role="alert">{t.failed}: {error}</p>;
  if (!status || !sale) return <p class="notice" aria-busy="true">{t.loading}</p>;
  if (manager) return <ManagerScreen status={status} connected={connected} t={t} bridge={wiring.bridge} />;
  // The till's mode picks the surface; surfaces never import each other.
  if (status.mode === 'kiosk' && !attendantView()) return (
      <KioskScreen status={{ ...status, locale }} connected={connected} t={t} bridge={wiring.bridge} sale={sale} onSale={onSale} idle={idleFromUrl()} onLanguage={setCustomerLocale} />
    );
  return <CashierScreen status={status} connected={connected} t={t} bridge={wiring.bridge} sale={sale} onSale={onSale} />;
}

const root = document.getElementById('root');
if (root) render(<App />, root);
