import { minor, MoneyError, parseDecimal } from '../money';
import { normalizeCode } from './codes';
import { parseCsv } from './csv';
import type { CatalogItem, ItemGroup, ItemUnit } from './item';

/**
 * Catalog import rows, CSV or JSON, validated one by one: every bad row is reported with its line (CSV) or
 * entry number (JSON) and the reason, and the good rows go on to be imported. The columns are documented in
 * docs/ledger.md.
 */
export const CATALOG_COLUMNS = ['id', 'codes', 'name', 'groups', 'unit_price', 'vat_rate', 'unit', 'age_limit', 'eligible_for_discount'] as const;
const REQUIRED = ['id', 'codes', 'name', 'unit_price', 'vat_rate'] as const;

export type RowProblem = { readonly line: number; readonly reason: string };
export type GoodRow = { readonly line: number; readonly item: CatalogItem };
export type ParsedCatalog = { readonly rows: GoodRow[]; readonly problems: RowProblem[] };
export type CatalogFormat = 'csv' | 'json';

type RawRow = Readonly<Record<string, unknown>>;

const ID = /^[!-~\u00a0-\uffff]{1,64}$/; // printable, no spaces or control characters
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'ja', 'si', 'sí']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'nei']);

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function list(value: unknown, separators: RegExp): string[] | undefined {
  if (Array.isArray(value)) return value.map((v) => text(v) ?? '').filter((v) => v !== '');
  const t = text(value);
  if (t === undefined) return undefined;
  return t.split(separators).map((s) => s.trim()).filter((s) => s !== '');
}

function parseGroups(value: unknown): ItemGroup[] | string {
  if (value === undefined || value === null || value === '') return [];
  const entries: unknown[] = Array.isArray(value) ? value : (list(value, /\|/) ?? []);
  const groups: ItemGroup[] = [];
  for (const entry of entries) {
    if (typeof entry === 'object' && entry !== null) {
      const { id, name } = entry as { id?: unknown; name?: unknown };
      const gid = text(id);
      if (!gid || !ID.test(gid)) return 'a group needs an id without spaces';
      const gname = text(name);
      groups.push(gname ? { id: gid, name: gname } : { id: gid });
      continue;
    }
    const t = text(entry);
    if (t === undefined || t === '') continue;
    // "dairy:Dairy products" gives the group an id and a display name.
    const colon = t.indexOf(':');
    const gid = colon === -1 ? t : t.slice(0, colon).trim();
    const gname = colon === -1 ? '' : t.slice(colon + 1).trim();
    if (!ID.test(gid)) return `group "${gid}" must be an id without spaces`;
    groups.push(gname ? { id: gid, name: gname } : { id: gid });
  }
  return groups;
}

function parseBool(value: unknown, field: string, fallback: boolean): boolean | string {
  if (typeof value === 'boolean') return value;
  const t = text(value)?.toLowerCase();
  if (t === undefined || t === '') return fallback;
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return `${field} must be true or false, got "${t}"`;
}

function parsePrice(row: RawRow, exponent: number): number | string {
  const minorValue = row['unit_price_minor'];
  if (minorValue !== undefined) {
    if (typeof minorValue !== 'number' || !Number.isSafeInteger(minorValue) || minorValue < 0) {
      return 'unit_price_minor must be a whole, non-negative number of minor units';
    }
    return minorValue;
  }
  const raw = row['unit_price'];
  if (typeof raw === 'number') return 'unit_price must be a decimal string such as "19.90" (or give unit_price_minor as an integer)';
  const t = text(raw);
  if (!t) return 'unit_price is missing';
  try {
    const value = parseDecimal(t, exponent);
    return value < 0 ? 'unit_price must not be negative' : value;
  } catch (err) {
    return err instanceof MoneyError ? `unit_price: ${err.message}` : 'unit_price is not an amount';
  }
}

function parseVat(value: unknown): number | string {
  const t = text(value);
  if (!t) return 'vat_rate is missing';
  try {
    const bp = parseDecimal(t.replace(/%$/, '').trim(), 2); // hundredths of a percent
    if (bp < 0 || bp > 10_000) return `vat_rate must be between 0 and 100 (percent), got ${t}`;
    return bp;
  } catch {
    return `vat_rate must be a percentage such as 25 or 11.11, got "${t}"`;
  }
}

/** Validates one row; returns the item or the first reason it is bad. */
export function validateRow(row: RawRow, exponent = 2): CatalogItem | string {
  for (const field of REQUIRED) {
    const v = row[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
      if (field === 'unit_price' && row['unit_price_minor'] !== undefined) continue;
      return `${field} is missing`;
    }
  }
  const id = text(row['id']) ?? '';
  if (!ID.test(id)) return `id "${id}" must be 1 to 64 characters without spaces`;
  const name = text(row['name']) ?? '';
  if (name.length > 200) return 'name is longer than 200 characters';
  const rawCodes = list(row['codes'], /[|\s]+/) ?? [];
  if (rawCodes.length === 0) return 'codes is empty: an item needs at least one code';
  const codes: string[] = [];
  for (const raw of rawCodes) {
    const c = normalizeCode(raw);
    if (!c.ok) return c.reason;
    if (!codes.includes(c.code)) codes.push(c.code);
  }
  const groups = parseGroups(row['groups']);
  if (typeof groups === 'string') return groups;
  const price = parsePrice(row, exponent);
  if (typeof price === 'string') return price;
  const vat = parseVat(row['vat_rate']);
  if (typeof vat === 'string') return vat;
  const unitText = (text(row['unit']) ?? '').toLowerCase();
  let unit: ItemUnit;
  if (unitText === '' || unitText === 'piece' || unitText === 'pcs' || unitText === 'stk') unit = 'piece';
  else if (unitText === 'weight' || unitText === 'kg') unit = 'weight';
  else return `unit must be piece or weight, got "${unitText}"`;
  const ageText = text(row['age_limit']) ?? '';
  let ageLimit: number | undefined;
  if (ageText !== '' && ageText !== '0') {
    if (!/^\d{1,2}$/.test(ageText)) return `age_limit must be a whole number of years (0-99), got "${ageText}"`;
    ageLimit = Number(ageText);
  }
  const eligible = parseBool(row['eligible_for_discount'], 'eligible_for_discount', true);
  if (typeof eligible === 'string') return eligible;
  const base = { id, codes, name, groups, unitPrice: minor(price), vatRateBp: vat, unit, eligibleForDiscount: eligible };
  return ageLimit === undefined ? base : { ...base, ageLimit };
}

/**
 * Validates every row and also refuses a code that an earlier good row of the same file already uses for
 * another item (the first row wins), and a repeated item id (the first row wins).
 */
type RowInput = { readonly line: number; readonly row: RawRow } | { readonly line: number; readonly problem: string };

function collect(rows: Iterable<RowInput>, exponent: number): ParsedCatalog {
  const good: GoodRow[] = [];
  const problems: RowProblem[] = [];
  const codeOwner = new Map<string, string>();
  const seenIds = new Map<string, number>();
  for (const input of rows) {
    const { line } = input;
    const result = 'problem' in input ? input.problem : validateRow(input.row, exponent);
    if (typeof result === 'string') {
      problems.push({ line, reason: result });
      continue;
    }
    const earlier = seenIds.get(result.id);
    if (earlier !== undefined) {
      problems.push({ line, reason: `item id "${result.id}" is already on line ${earlier}` });
      continue;
    }
    const clash = result.codes.find((c) => codeOwner.has(c));
    if (clash !== undefined) {
      problems.push({ line, reason: `code ${clash} already belongs to item "${codeOwner.get(clash) ?? ''}" in this file` });
      continue;
    }
    seenIds.set(result.id, line);
    for (const c of result.codes) codeOwner.set(c, result.id);
    good.push({ line, item: result });
  }
  return { rows: good, problems };
}

export function parseCatalogCsv(content: string, exponent = 2): ParsedCatalog {
  const parsed = parseCsv(content);
  if (!parsed.ok) return { rows: [], problems: [{ line: parsed.line, reason: parsed.reason }] };
  const [header, ...records] = parsed.records;
  if (!header) return { rows: [], problems: [{ line: 1, reason: 'the file is empty' }] };
  const columns = header.fields.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    return { rows: [], problems: [{ line: header.line, reason: `the header lacks the column(s) ${missing.join(', ')} (columns: ${CATALOG_COLUMNS.join(', ')})` }] };
  }
  const unknown = columns.filter((c) => !(CATALOG_COLUMNS as readonly string[]).includes(c) && c !== 'unit_price_minor');
  if (unknown.length > 0) {
    return { rows: [], problems: [{ line: header.line, reason: `unknown column(s) ${unknown.join(', ')} (columns: ${CATALOG_COLUMNS.join(', ')})` }] };
  }
  const priceMinorAt = columns.indexOf('unit_price_minor');
  function* rows(): Generator<RowInput> {
    for (const record of records) {
      if (record.fields.length !== columns.length) {
        yield { line: record.line, problem: `has ${record.fields.length} field(s), the header has ${columns.length}` };
        continue;
      }
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) row[columns[i] as string] = record.fields[i];
      if (priceMinorAt !== -1) {
        const v = (record.fields[priceMinorAt] ?? '').trim();
        row['unit_price_minor'] = /^\d+$/.test(v) ? Number(v) : v === '' ? undefined : v;
      }
      yield { line: record.line, row };
    }
  }
  return collect(rows(), exponent);
}

export function parseCatalogJson(content: string, exponent = 2): ParsedCatalog {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (err) {
    return { rows: [], problems: [{ line: 0, reason: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  const items = Array.isArray(data) ? data : typeof data === 'object' && data !== null ? (data as { items?: unknown }).items : undefined;
  if (!Array.isArray(items)) return { rows: [], problems: [{ line: 0, reason: 'expected an array of items, or {"items": [...]}' }] };
  return collect(
    items.map((row, index) => ({ line: index + 1, row: typeof row === 'object' && row !== null && !Array.isArray(row) ? (row as RawRow) : {} })),
    exponent,
  );
}

export function parseCatalog(content: string, format: CatalogFormat, exponent = 2): ParsedCatalog {
  return format === 'csv' ? parseCatalogCsv(content, exponent) : parseCatalogJson(content, exponent);
}
