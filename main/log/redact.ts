/**
 * Scrubs log records before they are written. Keys that name secrets or personal data are replaced whole, at any
 * depth; inside strings, e-mail addresses, international phone numbers, bearer tokens and any secret value the
 * agent registered (client secret, API key, access tokens) are masked. Redaction by key alone is not enough:
 * a server's error message can quote the e-mail or phone number it rejected.
 */
export const REDACTED = '[redacted]';

const SECRET_KEYS = new Set(
  [
    'authorization',
    'x-api-key',
    'apikey',
    'api_key',
    'clientsecret',
    'client_secret',
    'accesstoken',
    'access_token',
    'token',
    'refreshtoken',
    'password',
    'pin',
    'pinhash',
    'email',
    'e_mail',
    'phone',
    'phonenumber',
    'phone_number',
    'msisdn',
    'mobile',
    'cardnumber',
    'card_number',
    'pan',
    'token_value',
  ].map((k) => k.toLowerCase()),
);

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// International format (+47 99 99 99 99, +34-612-345-678): a plus, then 7-15 digits with spaces or dashes.
const PHONE = /\+\d(?:[\s-]?\d){6,14}/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
// Card numbers: 13-19 digits, possibly grouped, that pass the Luhn check.
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;

function luhnValid(digits: string): boolean {
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Any occurrence of this exact value in a log record is masked from now on. Short values are ignored. */
  registerSecret(value: string | undefined): void {
    if (value && value.length >= 6) this.secrets.add(value);
  }

  scrubString(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out
      .replace(BEARER, (_m, scheme: string) => `${scheme} ${REDACTED}`)
      .replace(EMAIL, REDACTED)
      .replace(PHONE, REDACTED)
      .replace(CARD, (m) => {
        const digits = m.replace(/\D/g, '');
        // A 13-digit GTIN can pass Luhn by chance; only grouped numbers or 15-19 digits count as cards.
        return (digits.length >= 15 || /[ -]/.test(m)) && luhnValid(digits) ? REDACTED : m;
      });
  }

  scrub(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.scrubString(value);
    if (value === null || typeof value !== 'object' || depth > 8) return value;
    if (Array.isArray(value)) return value.map((v) => this.scrub(v, depth + 1));
    if (value instanceof Error) {
      return { type: value.name, message: this.scrubString(value.message), stack: value.stack ? this.scrubString(value.stack) : undefined };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEYS.has(k.toLowerCase()) && v !== undefined && v !== null ? REDACTED : this.scrub(v, depth + 1);
    }
    return out;
  }
}
