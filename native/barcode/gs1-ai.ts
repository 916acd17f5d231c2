/**
 * The GS1 application identifiers the till understands (GS1 General Specifications §3), with their formats.
 * Facts from the specification; the table is ours. AIs not listed here make the scan fail with "unknown AI"
 * rather than be guessed at, because a wrong split shifts every field after it.
 */

export type AiDefinition = {
  readonly ai: string;
  readonly title: string;
  /** N: digits only; X: GS1 character set 82. */
  readonly charset: 'N' | 'X';
  readonly minLength: number;
  readonly maxLength: number;
  /** The value ends with a GS1 mod-10 check digit (GTIN, SSCC, GLN ...). */
  readonly checkDigit?: boolean;
  /** YYMMDD, where DD 00 means the last day of the month. */
  readonly date?: boolean;
  /** Implied decimals, from the last digit of a 4-digit AI such as 310n or 392n. */
  readonly decimals?: number;
};

/**
 * AIs whose first two digits are in this table have a predefined total length (AI + value) and need no FNC1
 * after them (§7.8.5, figure 7.8.5-2). Every other AI is ended by FNC1 (GS) unless it is last.
 */
const PREDEFINED_LENGTH: Readonly<Record<string, number>> = {
  '00': 20, '01': 16, '02': 16, '03': 16, '04': 18, '11': 8, '12': 8, '13': 8, '14': 8, '15': 8, '16': 8,
  '17': 8, '18': 8, '19': 8, '20': 4, '31': 10, '32': 10, '33': 10, '34': 10, '35': 10, '36': 10, '41': 16,
};

/** Whether the AI's field has a predefined length, so no separator follows it. */
export function hasPredefinedLength(ai: string): boolean {
  return PREDEFINED_LENGTH[ai.slice(0, 2)] !== undefined;
}

type Spec = Omit<AiDefinition, 'ai' | 'decimals'>;
const n = (length: number, extra: Partial<Spec> = {}): Spec => ({ title: '', charset: 'N', minLength: length, maxLength: length, ...extra });
const nv = (min: number, max: number): Spec => ({ title: '', charset: 'N', minLength: min, maxLength: max });
const x = (max: number, min = 1): Spec => ({ title: '', charset: 'X', minLength: min, maxLength: max });
const date = n(6, { date: true });
const check = (length: number): Spec => n(length, { checkDigit: true });

const FIXED: ReadonlyArray<readonly [string, string, Spec]> = [
  ['00', 'SSCC', check(18)],
  ['01', 'GTIN', check(14)],
  ['02', 'CONTENT', check(14)],
  ['10', 'BATCH/LOT', x(20)],
  ['11', 'PROD DATE', date],
  ['12', 'DUE DATE', date],
  ['13', 'PACK DATE', date],
  ['15', 'BEST BEFORE or BEST BY', date],
  ['16', 'SELL BY', date],
  ['17', 'USE BY or EXPIRY', date],
  ['20', 'VARIANT', n(2)],
  ['21', 'SERIAL', x(20)],
  ['22', 'CPV', x(20)],
  ['235', 'TPX', x(28)],
  ['240', 'ADDITIONAL ID', x(30)],
  ['241', 'CUST. PART No.', x(30)],
  ['242', 'MTO VARIANT', nv(1, 6)],
  ['243', 'PCN', x(20)],
  ['250', 'SECONDARY SERIAL', x(30)],
  ['251', 'REF. TO SOURCE', x(30)],
  ['253', 'GDTI', x(30, 13)],
  ['254', 'GLN EXTENSION COMPONENT', x(20)],
  ['255', 'GCN', nv(13, 25)],
  ['30', 'VAR. COUNT', nv(1, 8)],
  ['37', 'COUNT', nv(1, 8)],
  ['400', 'ORDER NUMBER', x(30)],
  ['401', 'GINC', x(30)],
  ['402', 'GSIN', check(17)],
  ['403', 'ROUTE', x(30)],
  ['410', 'SHIP TO LOC', check(13)],
  ['411', 'BILL TO', check(13)],
  ['412', 'PURCHASE FROM', check(13)],
  ['413', 'SHIP FOR LOC', check(13)],
  ['414', 'LOC No.', check(13)],
  ['415', 'PAY TO', check(13)],
  ['416', 'PROD/SERV LOC', check(13)],
  ['417', 'PARTY', check(13)],
  ['420', 'SHIP TO POST', x(20)],
  ['421', 'SHIP TO POST', x(12, 4)],
  ['422', 'ORIGIN', n(3)],
  ['423', 'COUNTRY - INITIAL PROCESS', nv(3, 15)],
  ['424', 'COUNTRY - PROCESS', n(3)],
  ['425', 'COUNTRY - DISASSEMBLY', nv(3, 15)],
  ['426', 'COUNTRY - FULL PROCESS', n(3)],
  ['427', 'ORIGIN SUBDIVISION', x(3)],
  ['7001', 'NSN', n(13)],
  ['7002', 'MEAT CUT', x(30)],
  ['7003', 'EXPIRY TIME', n(10)],
  ['7004', 'ACTIVE POTENCY', nv(1, 4)],
  ['7006', 'FIRST FREEZE DATE', date],
  ['7007', 'HARVEST DATE', nv(6, 12)],
  ['8001', 'DIMENSIONS', n(14)],
  ['8002', 'CMT No.', x(20)],
  ['8003', 'GRAI', x(30, 14)],
  ['8004', 'GIAI', x(30)],
  ['8005', 'PRICE PER UNIT', n(6)],
  ['8006', 'ITIP', n(18)],
  ['8007', 'IBAN', x(34)],
  ['8008', 'PROD TIME', nv(8, 12)],
  ['8012', 'VERSION', x(20)],
  ['8013', 'GMN', x(25)],
  ['8017', 'GSRN - PROVIDER', check(18)],
  ['8018', 'GSRN - RECIPIENT', check(18)],
  ['8020', 'REF No.', x(25)],
  ['8200', 'PRODUCT URL', x(70)],
  ['90', 'INTERNAL', x(30)],
  ...['91', '92', '93', '94', '95', '96', '97', '98', '99'].map((ai) => [ai, 'INTERNAL', x(90)] as const),
];

/** Measure AIs (3-digit stem + decimals digit 0-5), all n6. */
const MEASURES: ReadonlyArray<readonly [string, string]> = [
  ['310', 'NET WEIGHT (kg)'], ['311', 'LENGTH (m)'], ['312', 'WIDTH (m)'], ['313', 'HEIGHT (m)'],
  ['314', 'AREA (m2)'], ['315', 'NET VOLUME (l)'], ['316', 'NET VOLUME (m3)'],
  ['320', 'NET WEIGHT (lb)'], ['321', 'LENGTH (in)'], ['322', 'LENGTH (ft)'], ['323', 'LENGTH (yd)'],
  ['324', 'WIDTH (in)'], ['325', 'WIDTH (ft)'], ['326', 'WIDTH (yd)'], ['327', 'HEIGHT (in)'],
  ['328', 'HEIGHT (ft)'], ['329', 'HEIGHT (yd)'],
  ['330', 'GROSS WEIGHT (kg)'], ['331', 'LENGTH (m), log'], ['332', 'WIDTH (m), log'], ['333', 'HEIGHT (m), log'],
  ['334', 'AREA (m2), log'], ['335', 'VOLUME (l), log'], ['336', 'VOLUME (m3), log'], ['337', 'KG PER m2'],
  ['340', 'GROSS WEIGHT (lb)'], ['341', 'LENGTH (in), log'], ['342', 'LENGTH (ft), log'], ['343', 'LENGTH (yd), log'],
  ['344', 'WIDTH (in), log'], ['345', 'WIDTH (ft), log'], ['346', 'WIDTH (yd), log'], ['347', 'HEIGHT (in), log'],
  ['348', 'HEIGHT (ft), log'], ['349', 'HEIGHT (yd), log'],
  ['350', 'AREA (in2)'], ['351', 'AREA (ft2)'], ['352', 'AREA (yd2)'], ['353', 'AREA (in2), log'],
  ['354', 'AREA (ft2), log'], ['355', 'AREA (yd2), log'], ['356', 'NET WEIGHT (t oz)'], ['357', 'NET VOLUME (oz)'],
  ['360', 'NET VOLUME (qt)'], ['361', 'NET VOLUME (g)'], ['362', 'VOLUME (qt), log'], ['363', 'VOLUME (g), log'],
  ['364', 'VOLUME (in3)'], ['365', 'VOLUME (ft3)'], ['366', 'VOLUME (yd3)'], ['367', 'VOLUME (in3), log'],
  ['368', 'VOLUME (ft3), log'], ['369', 'VOLUME (yd3), log'],
];

/** Monetary and percentage AIs (3-digit stem + decimals digit 0-9). */
const AMOUNTS: ReadonlyArray<readonly [string, string, Spec]> = [
  ['390', 'AMOUNT', nv(1, 15)],
  ['391', 'AMOUNT', nv(4, 18)],
  ['392', 'PRICE', nv(1, 15)],
  ['393', 'PRICE', nv(4, 18)],
  ['394', 'PRCNT OFF', n(4)],
  ['395', 'PRICE/UoM', n(6)],
];

function buildTable(): ReadonlyMap<string, AiDefinition> {
  const table = new Map<string, AiDefinition>();
  for (const [ai, title, spec] of FIXED) table.set(ai, { ...spec, ai, title });
  for (const [stem, title] of MEASURES) {
    for (let d = 0; d <= 5; d++) table.set(`${stem}${d}`, { ...n(6), ai: `${stem}${d}`, title, decimals: d });
  }
  for (const [stem, title, spec] of AMOUNTS) {
    for (let d = 0; d <= 9; d++) table.set(`${stem}${d}`, { ...spec, ai: `${stem}${d}`, title, decimals: d });
  }
  return table;
}

export const AI_TABLE: ReadonlyMap<string, AiDefinition> = buildTable();

/** The AI at the start of `text`: GS1 AIs are prefix-free, so at most one of the 2-, 3- and 4-digit reads fits. */
export function lookupAi(text: string): AiDefinition | undefined {
  for (let length = 2; length <= 4; length++) {
    const def = AI_TABLE.get(text.slice(0, length));
    if (def !== undefined) return def;
  }
  return undefined;
}
