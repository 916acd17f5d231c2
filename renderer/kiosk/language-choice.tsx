import { type Messages, LANGUAGES } from '../shared/i18n';

type Props = { t: Messages; current: string; onChoose: (locale: string) => void };

/** The start screen's language buttons, each language named in itself so a customer finds their own. */
export function LanguageChoice(props: Props): preact.JSX.Element {
  const language = props.current.toLowerCase().split('-')[0];
  return (
    <div class="kiosk-languages" role="group" aria-label={props.t.kioskLanguage} data-testid="kiosk-languages">
      {LANGUAGES.map((l) => (
        <button type="button" class="big" key={l.locale} lang={l.locale} aria-pressed={l.locale.toLowerCase().split('-')[0] === language} data-testid={`kiosk-language-${l.locale}`} onClick={() => props.onChoose(l.locale)}>
          {l.name}
        </button>
      ))}
    </div>
  );
}
