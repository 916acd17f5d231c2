import { useEffect, useRef, useState } from 'preact/hooks';
import type { Status, TillBridge } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { StatusPanel } from '../shared/status-panel';
import { DayView } from './day-view';
import { DevicesView } from './devices-view';
import { errorText, fill, formatDuration, type ManagerContext } from './manager-context';
import { RulesView } from './rules-view';
import { SettingsView } from './settings-view';
import { SyncView } from './sync-view';

type ViewId = 'sync' | 'rules' | 'devices' | 'day' | 'settings';
const VIEWS: readonly ViewId[] = ['sync', 'rules', 'devices', 'day', 'settings'];

function LoginForm(props: { bridge: TillBridge; t: Messages; locale: string; currency: string; notice: string | undefined; onSession(id: string): void }): preact.JSX.Element {
  const m = props.t.manager;
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | undefined>(props.notice);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (e: Event): void => {
    e.preventDefault();
    setBusy(true);
    props.bridge
      .managerLogin({ pin })
      .then((r) => {
        setPin('');
        switch (r.result) {
          case 'ok':
            props.onSession(r.session);
            return;
          case 'wrong-pin':
            setMessage(fill(m.wrongPin, { n: r.attemptsLeft }));
            break;
          case 'locked':
            setMessage(fill(m.locked, { time: formatDuration(r.retryAfterMs, props.locale) }));
            break;
          case 'no-pin':
            setMessage(m.noPin);
            break;
        }
        input.current?.focus();
      })
      .catch((err: unknown) => setMessage(errorText(err, { locale: props.locale, currency: props.currency })))
      .finally(() => setBusy(false));
  };
  return (
    <form class="card login" onSubmit={submit} aria-labelledby="login-title" data-testid="manager-login">
      <h2 id="login-title">{m.loginTitle}</h2>
      <div class="field">
        <label for="manager-pin">{m.pin}</label>
        <input
          id="manager-pin"
          ref={input}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          value={pin}
          aria-describedby={message ? 'login-message' : undefined}
          data-testid="pin-input"
          onInput={(e) => setPin((e.target as HTMLInputElement).value)}
        />
      </div>
      {message ? (
        <p id="login-message" class="banner error" role="alert" data-testid="login-message">
          {message}
        </p>
      ) : null}
      <button type="submit" class="primary" disabled={busy || pin === ''} data-testid="pin-submit">
        {m.login}
      </button>
    </form>
  );
}

/**
 * The manager back office: a PIN login, then five views (sync, rules, devices, business day, settings). Reached
 * at `#/manager` (Ctrl+M from the till); the session lives in memory only, so a reload asks for the PIN again.
 */
export function ManagerScreen(props: { status: Status; connected: boolean; t: Messages; bridge: TillBridge }): preact.JSX.Element {
  const { status, t, bridge } = props;
  const m = t.manager;
  const [session, setSession] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [view, setView] = useState<ViewId>('sync');
  const labels: Record<ViewId, string> = { sync: m.sync, rules: m.rules, devices: m.devices, day: m.day, settings: m.settings };

  useEffect(() => {
    // Alt+1..5 switch views from anywhere, so the back office works without a mouse.
    const onKey = (e: KeyboardEvent): void => {
      if (!session || !e.altKey || e.ctrlKey || e.metaKey) return;
      const n = Number(e.key);
      const target = VIEWS[n - 1];
      if (target) {
        e.preventDefault();
        setView(target);
        document.getElementById(`tab-${target}`)?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);

  const logout = (): void => {
    if (session) void bridge.managerLogout({ session }).catch(() => undefined);
    setSession(undefined);
    setNotice(undefined);
  };
  const ctx: ManagerContext | undefined = session
    ? {
        bridge,
        session,
        status,
        t,
        onExpired: () => {
          setSession(undefined);
          setNotice(m.sessionExpired);
        },
      }
    : undefined;

  return (
    <main class="screen manager" data-testid="manager-screen">
      <header class="topbar">
        <h1>
          {m.title} · {status.branchId} / {status.posId}
        </h1>
        {status.demo ? <span class="badge">{t.demo}</span> : null}
        <a class="button-link" href="#/" data-testid="back-to-till">
          {m.backToTill}
        </a>
        {session ? (
          <button type="button" onClick={logout} data-testid="logout">
            {m.logout}
          </button>
        ) : null}
      </header>
      <StatusPanel status={status} connected={props.connected} t={t} />
      {!ctx ? (
        <LoginForm bridge={bridge} t={t} locale={status.locale} currency={status.currency} notice={notice} onSession={(id) => (setSession(id), setNotice(undefined))} />
      ) : (
        <>
          <nav class="manager-tabs" aria-label={m.views}>
            {VIEWS.map((id, i) => (
              <button
                type="button"
                id={`tab-${id}`}
                key={id}
                aria-current={view === id ? 'page' : undefined}
                data-testid={`tab-${id}`}
                onClick={() => setView(id)}
              >
                {labels[id]} <span class="muted small">Alt+{i + 1}</span>
              </button>
            ))}
          </nav>
          {view === 'sync' ? <SyncView ctx={ctx} /> : null}
          {view === 'rules' ? <RulesView ctx={ctx} /> : null}
          {view === 'devices' ? <DevicesView ctx={ctx} /> : null}
          {view === 'day' ? <DayView ctx={ctx} /> : null}
          {view === 'settings' ? <SettingsView ctx={ctx} /> : null}
        </>
      )}
    </main>
  );
}
