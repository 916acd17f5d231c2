import type { RuleOutcomeView } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { wordDetail } from '../shared/i18n-errors';
import { formatMoney } from '../shared/money';

/** Which rules applied and why the others did not, with the engine's own explanation under each. */
export function WhyPanel(props: { outcomes: readonly RuleOutcomeView[]; ruleSetVersion: string; currency: string; locale: string; t: Messages }): preact.JSX.Element {
  const { outcomes, t } = props;
  const ctx = { locale: props.locale, currency: props.currency };
  const applied = outcomes.filter((o) => o.applied);
  const notApplied = outcomes.filter((o) => !o.applied);
  const item = (o: RuleOutcomeView): preact.JSX.Element => (
    <li key={o.ruleId} class={o.applied ? 'applied' : 'not-applied'} data-testid="why-rule">
      <div class="row">
        <strong>{o.name}</strong>
        <span>{o.applied ? `−${formatMoney(o.amount + o.bonus, props.currency, props.locale)}` : (t.reasons[o.reason] ?? o.reason)}</span>
      </div>
      <div class="muted small">{(o.detail ? wordDetail(o.detail, o.message, ctx) : wordDetail({}, o.message, ctx)) ?? ''}</div>
    </li>
  );
  return (
    <section class="why" aria-label={t.why} data-testid="why-panel">
      <h2>{t.why}</h2>
      {outcomes.length === 0 ? <p class="muted">{t.noRules}</p> : null}
      {applied.length > 0 ? (
        <>
          <h3>{t.rulesApplied}</h3>
          <ul>{applied.map(item)}</ul>
        </>
      ) : null}
      {notApplied.length > 0 ? (
        <>
          <h3>{t.rulesNotApplied}</h3>
          <ul>{notApplied.map(item)}</ul>
        </>
      ) : null}
      <p class="muted small">
        {t.ruleSet}: {props.ruleSetVersion}
      </p>
    </section>
  );
}
