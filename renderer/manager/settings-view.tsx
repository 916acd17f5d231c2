import { useEffect, useState } from 'preact/hooks';
import type { ManagerSettings } from '../../main/api/contract';
import { FeedbackLine, fill, type ManagerContext, useManagerCall } from './manager-context';

/** The till's identity and devices, read-only: they live in the config file, which the screen names. */
export function SettingsView(props: { ctx: ManagerContext }): preact.JSX.Element {
  const { ctx } = props;
  const { t, bridge, session } = ctx;
  const m = t.manager;
  const [view, setView] = useState<ManagerSettings | undefined>(undefined);
  const { feedback, call } = useManagerCall(ctx);
  useEffect(() => call(() => bridge.managerSettings({ session }), setView), []);
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
  return (
    <section aria-labelledby="settings-title" class="manager-view" data-testid="manager-settings">
      <h2 id="settings-title">{m.settings}</h2>
      <FeedbackLine feedback={feedback} testId="settings-feedback" />
      <dl class="facts wide">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd class="code">{value}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">{fill(m.settingsHint, { file: view.configFile ?? '' })}</p>
    </section>
  );
}
