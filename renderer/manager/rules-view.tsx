import { useEffect, useState } from 'preact/hooks';
import type { ManagerRules, RuleDescriptionView } from '../../main/api/contract';
import { ruleWordRows } from './rule-words';
import { FactRows, FeedbackLine, formatDateTime, formatDuration, type ManagerContext, useManagerCall } from './manager-context';

function RuleExplanation(props: { rule: RuleDescriptionView; ctx: ManagerContext }): preact.JSX.Element {
  const { rule } = props;
  const { t, status } = props.ctx;
  const m = t.manager;
  const rows: [string, string][] = [
    [m.ruleKind, rule.kind === 'item' ? m.ruleKindItem : m.ruleKindReceipt],
    [m.state, rule.active ? m.ruleActive : m.ruleInactive],
    ...(rule.receiptText ? [[m.ruleReceiptText, rule.receiptText] as [string, string]] : []),
    ...ruleWordRows(rule.facts, { words: t.ruleWords, locale: status.locale, timeZone: status.timeZone, currency: status.currency }),
  ];
  return (
    <section class="card" aria-labelledby="rule-explained" data-testid="rule-explanation">
      <h3 id="rule-explained" tabIndex={-1}>
        {rule.id}: {rule.name}
      </h3>
      <FactRows rows={rows} />
    </section>
  );
}

/** The cached rule set: version and age, refresh now (with the failure in words), search and explain. */
export function RulesView(props: { ctx: ManagerContext }): preact.JSX.Element {
  const { ctx } = props;
  const { t, status, bridge, session } = ctx;
  const m = t.manager;
  const [view, setView] = useState<ManagerRules | undefined>(undefined);
  const [query, setQuery] = useState('');
  const [explained, setExplained] = useState<RuleDescriptionView | undefined>(undefined);
  const { busy, feedback, setFeedback, call } = useManagerCall(ctx);
  useEffect(() => call(() => bridge.managerRules({ session, query }), setView), [query]);
  useEffect(() => document.getElementById('rule-explained')?.focus(), [explained]);

  const refresh = (): void =>
    call(
      () => bridge.managerRefreshRules({ session, query }),
      (r) => {
        setView(r.rules);
        setFeedback(r.ok ? { level: 'info', text: m.refreshed } : { level: 'error', text: `${m.refreshFailed}: ${r.error ?? ''}` });
      },
    );
  const explain = (id: string): void => call(() => bridge.managerExplainRule({ session, id }), setExplained);

  return (
    <section aria-labelledby="rules-title" class="manager-view" data-testid="manager-rules">
      <h2 id="rules-title">{m.rules}</h2>
      <FeedbackLine feedback={feedback} testId="rules-feedback" />
      {view ? (
        <section class="card" aria-labelledby="ruleset-title">
          <h3 id="ruleset-title">{m.ruleSet}</h3>
          {view.version === null ? (
            <p data-testid="no-rules">{m.noRules}</p>
          ) : (
            <dl class="facts">
              <div>
                <dt>{m.ruleVersion}</dt>
                <dd data-testid="rules-version" class="code">
                  {view.version}
                </dd>
              </div>
              <div>
                <dt>{m.ruleAge}</dt>
                <dd data-testid="rules-age" title={view.fetchedAt ? formatDateTime(view.fetchedAt, status.locale, status.timeZone) : ''}>
                  {view.ageMs === null ? '' : formatDuration(view.ageMs, status.locale)}
                </dd>
              </div>
              <div>
                <dt>{m.ruleCount}</dt>
                <dd data-testid="rules-count">{view.ruleCount}</dd>
              </div>
            </dl>
          )}
          <button type="button" class="primary" disabled={busy} data-testid="refresh-rules" onClick={refresh}>
            {m.refreshRules}
          </button>
          {view.canRefresh ? null : <p class="muted small">{m.cannotRefresh}</p>}
        </section>
      ) : (
        <p aria-busy="true">{t.loading}</p>
      )}
      <div class="field">
        <label for="rule-search">{m.searchRules}</label>
        <input id="rule-search" type="search" data-testid="rule-search" value={query} maxLength={100} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
      </div>
      {view && view.matches.length === 0 ? <p class="muted">{m.noMatches}</p> : null}
      <ul class="rule-list" data-testid="rule-list">
        {view?.matches.map((r) => (
          <li key={r.id}>
            <span>
              <strong>{r.name || r.id}</strong> <span class="muted small code">{r.id}</span>
              {r.active ? null : <span class="muted small"> · {m.ruleInactive}</span>}
            </span>
            <button type="button" disabled={busy} data-testid={`explain-${r.id}`} onClick={() => explain(r.id)} aria-label={`${m.explain}: ${r.name || r.id}`}>
              {m.explain}
            </button>
          </li>
        ))}
      </ul>
      {explained ? <RuleExplanation rule={explained} ctx={ctx} /> : null}
    </section>
  );
}
