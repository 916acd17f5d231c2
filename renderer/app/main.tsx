import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Status, TillBridge } from '../../main/api/contract';
import { CashierScreen } from '../cashier/cashier-screen';
import { httpBridge, subscribeEvents, takeToken } from '../shared/api-client';
import { messagesFor } from '../shared/i18n';
import '../shared/styles.css';

type Wiring = { bridge: TillBridge; token: string | undefined } | { bridge: undefined; token: undefined };

function wire(): Wiring {
  if (globalThis.till) return { bridge: globalThis.till, token: undefined };
  const token = takeToken(location, sessionStorage, history);
  return token ? { bridge: httpBridge(token), token } : { bridge: undefined, token: undefined };
}

function App(): preact.JSX.Element {
  const [wiring] = useState(wire);
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const t = messagesFor(status?.locale ?? navigator.language);

  useEffect(() => {
    if (!wiring.bridge) return undefined;
    wiring.bridge
      .getStatus(undefined)
      .then((s) => {
        setStatus(s);
        setConnected(true);
      })
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    if (!wiring.token) return undefined;
    return subscribeEvents(
      wiring.token,
      (event) => {
        if (event.type === 'status') setStatus(event.status);
      },
      setConnected,
    );
  }, [wiring]);

  useEffect(() => {
    if (status) document.documentElement.lang = status.locale;
  }, [status?.locale]);

  if (!wiring.bridge) return <p class="notice" role="alert">{t.noToken}</p>;
  if (error) return <p class="notice" role="alert">{t.failed}: {error}</p>;
  if (!status) return <p class="notice" aria-busy="true">{t.loading}</p>;
  return <CashierScreen status={status} connected={connected} t={t} />;
}

const root = document.getElementById('root');
if (root) render(<App />, root);
