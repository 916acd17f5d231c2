import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { TillError } from '../core/errors';
import { DEFAULT_ARTICLE_GROUP, eventBasic, FISCAL_EVENT_CODES, isFiscalEventCode, LINE_BASICS, paymentBasic, transactionBasic } from '../core/fiscal/saft-codes';
import { CHAIN_FROM_MARK } from '../core/fiscal/saft-verify';
import { auditfileClose, auditfileOpen, eventXml, masterData, type SaftBasic, type SaftEvent, transactionXml } from '../core/fiscal/saft-xml';
import { localDateTime, nextDate, zonedMidnightIso } from '../core/fiscal/signed-text';
import { tenderKindOf } from '../core/reports';
import type { ReadableDb } from '../store';
import {
  chainStartOf,
  countPeriodSales,
  type PeriodBounds,
  periodArticles,
  periodEvents,
  periodItemGroups,
  periodOperators,
  periodSales,
  periodVatRates,
  receiptCounts,
  type SaftEventRow,
  saleLines,
} from '../store/saft-source';
import { AGENT_VERSION } from './version';

/**
 * `till-agent saft export`: the SAF-T Cash Register file of a period (docs/fiscal-no.md). Streams: master data
 * first (small), then every event and every transaction as the database hands them over, written in 1 MB chunks
 * to a temporary file renamed into place at the end, so a failed export leaves no half file behind.
 */
export type SaftExportOptions = {
  /** First and last local date of the period, inclusive (YYYY-MM-DD). */
  readonly from: string;
  readonly to: string;
  readonly out: string;
  readonly now: Date;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
};

export type SaftExportResult = { readonly file: string; readonly transactions: number; readonly events: number; readonly bytes: number };

class ChunkWriter {
  private buffer: string[] = [];
  private size = 0;
  bytes = 0;
  constructor(private readonly fd: number) {}
  write(text: string): void {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buffer.length === 0) return;
    const chunk = Buffer.from(this.buffer.join(''), 'utf8');
    fs.writeSync(this.fd, chunk);
    this.bytes += chunk.length;
    this.buffer = [];
    this.size = 0;
  }
}

/** Catalog group ids become SAF-T article group ids, unless one would clash with another basic id or is too long. */
function articleGroupIds(groups: Iterable<string | null>, reserved: ReadonlySet<string>): Map<string | null, string> {
  const out = new Map<string | null, string>();
  let n = 0;
  for (const g of groups) {
    if (out.has(g)) continue;
    if (g === null) out.set(null, DEFAULT_ARTICLE_GROUP.id);
    else out.set(g, g.length <= 35 && !reserved.has(g) && g !== DEFAULT_ARTICLE_GROUP.id ? g : `AG${++n}`);
  }
  return out;
}

function orgNumberOf(config: Config): string {
  const digits = (config.store.orgNumber ?? '').replace(/[\s.]/g, '').replace(/MVA$/i, '');
  if (!/^\d{9}$/.test(digits)) {
    throw new TillError('CONFIG_INVALID', `A SAF-T file needs the company's organisation number: store.orgNumber is ${config.store.orgNumber === undefined ? 'not set' : `"${config.store.orgNumber}", not 9 digits`}.`, {
      fix: 'Set store.orgNumber in the config file to the 9-digit organisation number (docs/configuration.md).',
    });
  }
  return digits;
}

export function registerIdOf(config: Config): string {
  return config.fiscal.registerId ?? config.posId.slice(0, 35);
}

function eventOf(row: SaftEventRow, tz: string): SaftEvent | undefined {
  const p = row.payload;
  const code = row.kind === 'event' ? p['code'] : row.kind;
  if (typeof code !== 'string' || !isFiscalEventCode(code)) return undefined;
  const { date, time } = localDateTime(row.at, tz);
  const text = typeof p['text'] === 'string' ? p['text'] : row.kind === 'event' ? undefined : row.kind === 'day_close' || row.kind === 'shift_close' ? `entries ${typeof p['entries'] === 'number' ? p['entries'] : 0}` : undefined;
  return {
    id: row.seq,
    basicId: eventBasic(code).basicId,
    saleNo: typeof p['saleNo'] === 'number' ? p['saleNo'] : undefined,
    operatorId: typeof p['operatorId'] === 'string' && p['operatorId'] !== '' ? p['operatorId'] : undefined,
    date,
    time,
    text,
  };
}

export function exportSaft(db: ReadableDb, config: Config, opts: SaftExportOptions): SaftExportResult {
  if (opts.to < opts.from) throw new TillError('SCHEMA_INVALID', `The period ends (--to ${opts.to}) before it starts (--from ${opts.from}).`);
  const tz = config.timeZone;
  const period: PeriodBounds = { fromIso: zonedMidnightIso(opts.from, tz), toIso: zonedMidnightIso(nextDate(opts.to), tz) };
  const orgNumber = orgNumberOf(config);
  const total = countPeriodSales(db, period);
  const created = localDateTime(opts.now.toISOString(), tz);
  // A period that does not start with the till's first sale chains to a signature outside it: the header names
  // it, so the file's first signature can be checked too.
  const chainStart = chainStartOf(db, period);

  const paymentKinds = ['cash', 'card', 'gift_card', 'loyalty_points', 'loyalty_credit'];
  const fixedBasics: SaftBasic[] = [
    { type: '05', id: LINE_BASICS.sale.basicId, desc: LINE_BASICS.sale.desc },
    { type: '05', id: LINE_BASICS.return.basicId, desc: LINE_BASICS.return.desc },
    { type: '08', id: 'DISCOUNT', desc: 'Discount on a line' },
    ...(['sale', 'refund', 'void'] as const).map((k) => ({ type: '11', id: transactionBasic(k).basicId, predefined: transactionBasic(k).predefined, desc: transactionBasic(k).desc })),
    ...paymentKinds.map((k) => ({ type: '12', id: paymentBasic(k).basicId, predefined: paymentBasic(k).predefined, desc: paymentBasic(k).desc })),
    ...FISCAL_EVENT_CODES.map((c) => ({ type: '13', id: eventBasic(c).basicId, predefined: eventBasic(c).predefined, desc: eventBasic(c).desc })),
  ];
  const itemGroups = periodItemGroups(db, period);
  const groupIds = articleGroupIds([null, ...itemGroups.values()], new Set(fixedBasics.map((b) => b.id)));
  const groupBasics: SaftBasic[] = [...groupIds].map(([group, id]) => ({
    type: '04',
    id,
    predefined: group === null ? config.fiscal.defaultArticleGroup : (config.fiscal.articleGroups[group] ?? config.fiscal.defaultArticleGroup),
    desc: group ?? DEFAULT_ARTICLE_GROUP.desc,
  }));
  const groupOfItem = (itemId: string): string => groupIds.get(itemGroups.get(itemId) ?? null) ?? DEFAULT_ARTICLE_GROUP.id;

  fs.mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
  const tmp = path.join(path.dirname(path.resolve(opts.out)), `.${path.basename(opts.out)}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  let transactions = 0;
  let events = 0;
  try {
    const w = new ChunkWriter(fd);
    w.write(
      auditfileOpen({
        fiscalYear: opts.from.slice(0, 4),
        startDate: opts.from,
        endDate: opts.to,
        currency: config.currency,
        createdDate: created.date,
        createdTime: created.time,
        softwareVersion: AGENT_VERSION,
        comment: `Till ${registerIdOf(config)}, ${opts.from} to ${opts.to} (${tz})${chainStart !== undefined && chainStart !== '0' ? `; ${CHAIN_FROM_MARK}${chainStart}` : ''}`,
      }),
    );
    const articles = (function* () {
      for (const a of periodArticles(db, period)) yield { id: a.itemId, since: localDateTime(a.firstAt, tz).date, groupId: groupOfItem(a.itemId), description: a.description };
    })();
    w.write(
      masterData(
        { orgNumber, name: config.fiscal.companyName ?? config.store.name, vatRegistered: config.fiscal.vatRegistered },
        periodVatRates(db, period).map((v) => ({ rateBp: v.rateBp, since: localDateTime(v.firstAt, tz).date })),
        periodOperators(db, period).map((o) => {
          const at = localDateTime(o.firstAt, tz);
          return { id: o.id, since: at.date, sinceTime: at.time };
        }),
        articles,
        [...groupBasics, ...fixedBasics],
        { name: config.store.name, addressLines: config.store.addressLines, registerId: registerIdOf(config), registerDesc: `till-agent till ${config.branchId}/${config.posId}` },
      ),
    );
    for (const row of periodEvents(db, period)) {
      const e = eventOf(row, tz);
      if (!e) continue;
      w.write(eventXml(e));
      events++;
    }
    const counts = receiptCounts(db, period);
    for (const s of periodSales(db, period)) {
      const sign = s.kind === 'sale' ? 1 : -1;
      const at = s.signature ?? localDateTime(s.purchaseAt, tz);
      const c = counts.get(s.id) ?? { receipts: 0, copies: 0, provisional: 0 };
      w.write(
        transactionXml({
          kind: s.kind,
          saleNo: s.saleNo,
          receiptId: s.receiptId,
          refersToSaleNo: s.refersToSaleNo ?? undefined,
          operatorId: s.operatorId,
          date: at.date,
          time: at.time,
          currency: s.currency,
          netMinor: s.netMinor,
          vatMinor: s.vatMinor,
          vatByRate: s.document.totals.vat.map((v) => ({ rateBp: v.rateBp, vat: v.vat, net: v.net })),
          lines: saleLines(db, s.id).map((l) => ({ ...l, groupId: groupOfItem(l.itemId) })),
          // Tenders of voids and refunds are stored as positive amounts paid back: negative in SAF-T. Cash is what
          // the drawer took or paid back: the last cash tender carries the cash rounding (docs/ledger.md).
          payments: s.document.tenders.map((t, i, all) => ({
            tenderKind: tenderKindOf(t),
            appliedMinor: sign * (t.applied + (t.kind === 'cash' && i === all.map((x) => x.kind).lastIndexOf('cash') ? (s.document.rounding ?? 0) : 0)),
            reference: t.kind === 'card' ? t.terminalRef : t.kind === 'gift_card' ? `…${t.cardToken.slice(-4)}` : undefined,
          })),
          roundingMinor: sign * (s.document.rounding ?? 0),
          // A sale from before the till had a signing key: key version 0, and the verifier says so.
          signature: s.signature?.signature ?? 'unsigned',
          keyVersion: s.signature?.keyVersion ?? 0,
          receipts: c.receipts,
          copies: c.copies,
          provisional: c.provisional,
          training: s.training,
        }),
      );
      transactions++;
      if (opts.onProgress && (transactions % 1000 === 0 || transactions === total)) opts.onProgress(transactions, total);
    }
    w.write(auditfileClose());
    w.flush();
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(tmp, opts.out);
    return { file: opts.out, transactions, events, bytes: w.bytes };
  } catch (err) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
