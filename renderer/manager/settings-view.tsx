import { useEffect, useState } from 'preact/hooks';
import type { ManagerSaveSettings, ManagerSettings } from '../../main/api/contract';
import { LANGUAGES, type Messages } from '../shared/i18n';
import { DeviceChoice } from './device-choices';
import { FactRows, FeedbackLine, fill, type ManagerContext, useManagerCall } from './manager-context';

type Draft = { locale: string; printer: string; scanner: string };

/** The languages the screens have, with the configured locale kept when it is another (set in the file). */
function localeChoices(current: string): readonly { readonly locale: string; readonly name: string }[] {
  return LANGUAGES.some((l) => l.locale === current) ? LANGUAGES : [{ locale: current, name: current }, ...LANGUAGES];
}

/** The field names as the manager reads them in the environment notice. */
function fieldLabel(t: Messages, field: 'locale' | 'printer' | 'scanner'): string {
  return field === 'locale' ? t.manager.locale : field === 'printer' ? t.printer : t.scanner;
}

function savedText(t: Messages, saved: ManagerSaveSettings): string {
  const wins = saved.environmentWins.map((w) => fill(t.manager.settingsEnvWins, { variable: w.variable, field: fieldLabel(t, w.field) }));
  return [t.manager.settingsSaved, ...wins].join(' ');
}

/**
 * The till's settings. Locale, printer and scanner are saved to the config file from here (applied at the
 * next start); branch, till and mode identify the till in the ledger and stay in the config file.
 */
export function SettingsView(props: { ctx: ManagerContext }): preact.JSX.Element {
  const { ctx } = props;
  const { t, bridge, session } = ctx;
  const m = t.manager;
  const [view, setView] = useState<ManagerSettings | undefined>(undefined);
  const [draft, setDraft] = useState<Draft>({ locale: '', printer: '', scanner: '' });
  const { busy, feedback, setFeedback, call } = useManagerCall(ctx);
  useEffect(
    () =>
      call(
        () => bridge.managerSettings({ session }),
        (v) => {
          setView(v);
          setDraft({ locale: v.locale, printer: v.printerAddress, scanner: v.scannerAddress ?? '' });
        },
      ),
    [],
  );
  if (!view) return <FeedbackLine feedback={feedback} testId="settings-feedback" />;
  const rows: [string, string][] = [
    [t.branch, view.branchId],
    [t.till, view.posId],
    [t.mode, view.mode === 'kiosk' ? t.kiosk : t.cashier],
    [m.sourceType, view.sourceType],
    [t.printer, view.printer],
    [t.scanner, view.scanner],
    [m.locale, view.locale],
    [m.currency, view.currency],
    [m.timeZone, view.timeZone],
    [m.dataDir, view.dataDir],
    [m.configFile, view.configFile ?? ''],
  ];
  const envNotes = view.environmentWins.map((w) => fill(m.settingsEnvWins, { variable: w.variable, field: fieldLabel(t, w.field) }));

  const save = (e: Event): void => {
    e.preventDefault();
    // Only what the manager changed is sent: the agent keeps every other field of the file as it is.
    const change: { locale?: string; printer?: string; scanner?: string } = {};
    if (draft.locale.trim() !== view.locale) change.locale = draft.locale.trim();
    if (draft.printer.trim() !== view.printerAddress) change.printer = draft.printer.trim();
    if (view.scannerAddress !== null && draft.scanner.trim() !== view.scannerAddress) change.scanner = draft.scanner.trim();
    if (Object.keys(change).length === 0) {
      setFeedback({ level: 'info', text: m.settingsUnchanged });
      return;
    }
    setFeedback(undefined);
    call(
      () => bridge.managerSaveSettings({ session, ...change }),
      (saved) => setFeedback({ level: 'info', text: savedText(t, saved) }),
    );
  };

  return (
    <section aria-labelledby="settings-title" class="manager-view" data-testid="manager-settings">
      <h2 id="settings-title">{m.settings}</h2>
      <FactRows rows={rows} />
      <p class="muted" data-testid="settings-identity-hint">
        {fill(m.settingsIdentityHint, { file: view.configFile ?? '' })}
      </p>
      <section class="card" aria-labelledby="settings-change-title">
        <h3 id="settings-change-title">{m.settingsChange}</h3>
        {view.demo ? (
          <p class="muted" data-testid="settings-demo">
            {m.settingsDemo}
          </p>
        ) : null}
        {envNotes.map((note) => (
          <p key={note} class="muted">
            {note}
          </p>
        ))}
        <form onSubmit={save} data-testid="settings-form">
          <fieldset disabled={view.demo || busy} class="field-row">
            <div class="field">
              <label for="settings-locale">{m.locale}</label>
              <select id="settings-locale" value={draft.locale} onChange={(e) => setDraft({ ...draft, locale: (e.target as HTMLSelectElement).value })}>
                {localeChoices(view.locale).map((l) => (
                  <option key={l.locale} value={l.locale}>
                    {l.name}
                  </option>
                ))}
              </select>
            </div>
            <DeviceChoice
              id="settings-printer"
              label={m.printerConnection}
              kinds={['none', 'tcp', 'serial', 'usb']}
              configured={view.printerAddress}
              address={draft.printer}
              choices={view.choices}
              t={t}
              onChange={(printer) => setDraft({ ...draft, printer })}
            />
            {view.scannerAddress === null ? (
              <p class="field" data-testid="settings-scanner-fixed">
                <strong>{t.scanner}</strong>
                <span class="code">{view.scanner}</span>
                <span class="muted">{m.scannerFixed}</span>
              </p>
            ) : (
              <DeviceChoice
                id="settings-scanner"
                label={m.scannerConnection}
                kinds={['none', 'serial']}
                configured={view.scannerAddress}
                address={draft.scanner}
                choices={view.choices}
                t={t}
                onChange={(scanner) => setDraft({ ...draft, scanner })}
              />
            )}
            <button type="submit" class="primary" data-testid="settings-save">
              {m.saveSettings}
            </button>
          </fieldset>
        </form>
      </section>
      <FeedbackLine feedback={feedback} testId="settings-feedback" />
    </section>
  );
}
