import type {
  DayReportView,
  ManagerDay,
  ManagerDevices,
  ManagerLoginOutput,
  ManagerReport,
  ManagerSaveSettings,
  ManagerRules,
  ManagerSettings,
  ManagerSync,
  RuleDescriptionView,
} from '../api/contract';
import { type Config, printerAddress, scannerAddress } from '../config';
import type { Clock } from '../core/clock';
import { describeRule, parseRules, type Rule, searchRules } from '../core/discounts';
import { because } from '../core/error-reasons';
import { TillError } from '../core/errors';
import { minor } from '../core/money';
import { type DayReport, dayReportCsv, dayReportFileName } from '../core/reports';
import type { DeviceManager } from '../devices/device-manager';
import { findDevicePorts, type DevicePorts } from '../devices/port-discovery';
import { describePrinter, describeScannerConfig, printerConfigReason, scannerConfigReason } from '../devices/describe-devices';
import type { Logger } from '../log';
import type { WritableDb } from '../store';
import { closedDays, openDay, zReportOnce } from '../store/day-reports';
import { closeBusinessDay, closeShift, currentShift, openBusinessDay, openShift } from '../store/ledger';
import { managerRetryCount, outboxStatus, resolveEffect, resolveEnvelope, retryEffect, retryEnvelope, writeOffEffect } from '../store/outbox';
import { enqueuePrintJob, type PrintPayload } from '../store/print-jobs';
import { cachedRulesWithRefs } from '../store/discount-refs';
import { getRulesCacheMeta } from '../store/rules-cache';
import type { AttentionEffect } from '../store/outbox-status';
import { recommendFor, type RecommendedAction } from '../sync/outbox/recommend';
import type { RulesPullResult } from '../sync/pull/rules-pull';
import { recordFiscalEvent } from '../store/fiscal-events';
import { openShiftCash } from '../store/shift-cash';
import { isTrainingModeOn } from '../store/training-mode';
import { buildDayReport, dayReportFor, type ReportTill } from './day-reports';
import { FiscalControls, MANAGER_OPERATOR } from './fiscal-controls';
import { checkManagerPin } from './manager-pin';
import { ManagerSessions } from './manager-sessions';
import { environmentWins, saveSettings, type SettingsChange, settingsFile } from './settings-file';

export type ManagerServiceOptions = {
  readonly config: Config;
  /** The config file the settings come from (or would, when none exists yet). */
  readonly configFile?: string | undefined;
  db(): WritableDb;
  readonly clock: Clock;
  readonly devices: DeviceManager;
  logger(): Logger;
  /** Pulls the discount rules now; undefined when no Dintero connection is configured. */
  readonly refreshRules?: (() => Promise<RulesPullResult | undefined>) | undefined;
  /** Deliver the outbox now (after a retry). */
  readonly wakeSync?: (() => void) | undefined;
  readonly sessions?: ManagerSessions;
  /** Idle time and sweep interval of the sessions this service makes (tests shorten them). */
  readonly sessionTimes?: { readonly idleMs?: number; readonly sweepMs?: number } | undefined;
  /** The environment the config was loaded with; its `TILL_*` variables win over a saved setting. */
  readonly env?: NodeJS.ProcessEnv;
  /** Serial ports and USB printers on this machine, offered as the settings' choices (tests give a directory). */
  readonly findPorts?: () => Promise<DevicePorts>;
};

const MAX_RULE_MATCHES = 50;

/** The core's report (readonly arrays) as the contract's view. */
function reportView(r: DayReport): DayReportView {
  const { fiscal, ...rest } = r;
  return { ...rest, tenders: [...r.tenders], vat: [...r.vat], discounts: [...r.discounts], ...(fiscal ? { fiscal: { ...fiscal, articleGroups: [...fiscal.articleGroups] } } : {}) };
}

/**
 * The manager back office behind the API: PIN login and sessions, and thin views over what the agent already
 * has (outbox, rules cache, devices, ledger). Every call but `login` requires a live session first.
 */
export class ManagerService {
  readonly sessions: ManagerSessions;
  /** Training mode and cash withdrawals (docs/fiscal-no.md). */
  readonly fiscal: FiscalControls;

  constructor(private readonly options: ManagerServiceOptions) {
    this.sessions = options.sessions ?? new ManagerSessions(options.clock, { ...options.sessionTimes, onDidExpire: (at) => this.sessionTimedOut(at) });
    this.fiscal = new FiscalControls({
      db: () => options.db(),
      clock: options.clock,
      logger: () => options.logger(),
      hasDrawer: options.config.devices.printer.kind !== 'none',
      wakePrinter: () => options.devices.wakePrinter(),
    });
  }

  private get log(): Logger {
    return this.options.logger().child({ module: 'manager' });
  }

  private now(): Date {
    return this.options.clock.now();
  }

  async login(pin: string): Promise<ManagerLoginOutput> {
    const check = await checkManagerPin(this.options.db(), pin, () => this.now());
    // The outcome is logged, never the PIN.
    if (check.ok) {
      // A session that timed out is logged out before the new log-in, so the journal reads in order.
      this.sessions.sweep();
      this.log.info('manager logged in');
      recordFiscalEvent(this.options.db(), 'login', { operatorId: MANAGER_OPERATOR }, this.now());
      return { result: 'ok', session: this.sessions.issue(), idleTimeoutMs: this.sessions.idleMs };
    }
    this.log.warn({ outcome: check.reason }, 'manager login refused');
    switch (check.reason) {
      case 'wrong-pin':
        return { result: 'wrong-pin', attemptsLeft: check.attemptsLeft };
      case 'locked':
        return { result: 'locked', retryAfterMs: check.retryAfterMs };
      case 'no-pin':
        return { result: 'no-pin' };
    }
  }

  logout(session: string): { ok: true } {
    // Journaled only for a live session: a stale or unknown id logs nobody out.
    if (this.sessions.end(session)) recordFiscalEvent(this.options.db(), 'logout', { operatorId: MANAGER_OPERATOR }, this.now());
    return { ok: true };
  }

  /**
   * A session that timed out is a log-out (13004) like one the manager asked for, journaled when the till notices
   * (within MANAGER_SWEEP_MS, or at the next manager call), with the time it expired. A failure here (the database
   * closed under a late timer) is logged, never thrown into the timer.
   */
  private sessionTimedOut(expiredAt: Date): void {
    try {
      recordFiscalEvent(this.options.db(), 'logout', { operatorId: MANAGER_OPERATOR, text: 'session timed out', expiredAt: expiredAt.toISOString() }, this.now());
      this.log.info({ expiredAt: expiredAt.toISOString() }, 'manager session timed out');
    } catch (err) {
      try {
        this.log.warn({ err }, 'a timed-out manager session could not be journaled');
      } catch {
        // The logger is closed too: the agent is stopping.
      }
    }
  }

  /** Throws UNAUTHORIZED unless the session is live; every manager call starts here. */
  require(session: string): void {
    this.sessions.require(session);
  }

  sync(): ManagerSync {
    const db = this.options.db();
    const s = outboxStatus(db, this.now());
    return {
      currency: this.options.config.currency,
      counts: { pending: s.counts.pending, inFlight: s.counts.in_flight, retry: s.counts.retry, needsAttention: s.counts.needs_attention, done: s.counts.done },
      oldestPendingAgeMs: s.oldestPendingAgeMs,
      needsAttention: s.needsAttention.map((a) => ({
        id: a.id,
        kind: a.kind,
        ref: a.ref,
        reasonCode: a.reasonCode,
        reason: a.reason,
        amountAtRisk: a.amountAtRisk,
        since: new Date(a.since).toISOString(),
        effects: a.effects.map((e) => ({
          seq: e.seq,
          kind: e.kind,
          reasonCode: e.reasonCode,
          reason: e.reason,
          amountAtRisk: e.amountAtRisk,
          mandated: e.mandated,
          ...recommended(e, managerRetryCount(db, { envelopeId: a.id, seq: e.seq })),
        })),
      })),
      checking: s.checking,
      exposure: s.exposure,
      openExposure: s.openExposure,
    };
  }

  /** One effect (`seq`), or every effect of the envelope that waits; an uncertain payment is checked again first. */
  retry(id: number, seq: number | undefined, note: string | undefined): ManagerSync {
    if (seq === undefined) retryEnvelope(this.options.db(), id, this.now(), note);
    else retryEffect(this.options.db(), { envelopeId: id, seq }, this.now(), note);
    this.log.info({ envelopeId: id, seq }, 'manager retried');
    this.options.wakeSync?.();
    return this.sync();
  }

  /** One effect settled by hand; never a receipt or a Loyalty transaction (see `writeOff`). */
  resolve(id: number, seq: number | undefined, note: string): ManagerSync {
    if (seq === undefined) resolveEnvelope(this.options.db(), id, note, this.now());
    else resolveEffect(this.options.db(), { envelopeId: id, seq }, note, this.now());
    this.log.info({ envelopeId: id, seq }, 'manager resolved an effect by hand');
    this.options.wakeSync?.();
    return this.sync();
  }

  /** A receipt or Loyalty transaction written off with a note; the day's report counts it. */
  writeOff(id: number, seq: number, note: string): ManagerSync {
    writeOffEffect(this.options.db(), { envelopeId: id, seq }, note, this.now());
    this.log.warn({ envelopeId: id, seq }, 'manager wrote off a receipt or transaction');
    this.options.wakeSync?.();
    return this.sync();
  }

  private cachedRules(): Rule[] {
    return parseRules(cachedRulesWithRefs(this.options.db())).rules;
  }

  rules(query: string | undefined): ManagerRules {
    const meta = getRulesCacheMeta(this.options.db());
    const now = this.now().getTime();
    return {
      version: meta?.version ?? null,
      fetchedAt: meta ? new Date(meta.fetchedAt).toISOString() : null,
      ageMs: meta ? Math.max(0, now - meta.fetchedAt) : null,
      ruleCount: meta?.ruleCount ?? 0,
      canRefresh: this.options.refreshRules !== undefined && this.options.config.dintero !== undefined,
      matches: searchRules(this.cachedRules(), query ?? '').slice(0, MAX_RULE_MATCHES).map(describeRule),
    };
  }

  /** Pulls now; a failed pull (offline, refused) is an answer with the reason, not an error: the cache stands. */
  async refreshRules(query: string | undefined): Promise<{ ok: boolean; error?: string; rules: ManagerRules }> {
    if (!this.options.refreshRules || !this.options.config.dintero) {
      return { ok: false, error: 'No Dintero connection is configured, so there is nowhere to pull the rules from.', rules: this.rules(query) };
    }
    let result: RulesPullResult | undefined;
    try {
      result = await this.options.refreshRules();
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err), rules: this.rules(query) };
    }
    if (result?.status === 'failed') {
      this.log.warn({ reason: result.failure.reason }, 'manager rules refresh failed');
      return { ok: false, error: `The rules could not be pulled: ${result.failure.reason}. The till keeps pricing with the cached set.`, rules: this.rules(query) };
    }
    return { ok: true, rules: this.rules(query) };
  }

  explainRule(id: string): RuleDescriptionView {
    const rule = this.cachedRules().find((r) => r.id === id);
    if (!rule) throw new TillError('NOT_FOUND', `No cached rule has the id "${id}".`, because('manager.rule-unknown', { id }));
    return describeRule(rule);
  }

  devices(): ManagerDevices {
    const { printer, scanner, printerWidth } = this.options.config.devices;
    return {
      scanner: { configured: describeScannerConfig(scanner), configuredAs: scannerConfigReason(scanner) },
      printer: { configured: describePrinter(printer), configuredAs: printerConfigReason(printer), widthMm: printerWidth },
      drawer:
        printer.kind === 'none'
          ? { supported: false, reason: 'The cash drawer opens through the receipt printer, and no printer is configured.' }
          : { supported: true },
    };
  }

  private print(payload: PrintPayload): { queued: true; jobId: number } {
    if (this.options.config.devices.printer.kind === 'none') {
      throw new TillError('DEVICE_UNAVAILABLE', 'No receipt printer is configured, so nothing can be printed.', { fix: 'Set devices.printer in the config file.', ...because('manager.no-printer', {}) });
    }
    const jobId = enqueuePrintJob(this.options.db(), null, payload, this.now());
    this.options.devices.wakePrinter();
    return { queued: true, jobId };
  }

  testPrint(): { queued: true; jobId: number } {
    return this.print({ kind: 'test', at: this.now().toISOString() });
  }

  openDrawer(): { queued: true; jobId: number } {
    const drawer = this.devices().drawer;
    if (!drawer.supported) throw new TillError('DEVICE_UNAVAILABLE', drawer.reason ?? 'This till has no cash drawer.', because('manager.no-drawer', {}));
    this.log.info('manager opened the cash drawer');
    return this.print({ kind: 'drawer' });
  }

  day(): ManagerDay {
    const db = this.options.db();
    const open = openDay(db);
    const shift = currentShift(db);
    return {
      open: open ? { id: open.id, businessDate: open.businessDate, openedAt: open.openedAt } : null,
      shift: shift ? { id: shift.shiftId, operatorId: shift.operatorId, openedAt: shift.openedAt } : null,
      expectedCash: openShiftCash(db),
      training: isTrainingModeOn(db),
      closed: closedDays(db).map((d) => ({ id: d.id, businessDate: d.businessDate, closedAt: d.closedAt ?? '' })),
    };
  }

  openDay(operatorId: string | undefined): ManagerDay {
    const db = this.options.db();
    const now = this.now();
    db.transaction(() => {
      openBusinessDay(db, now);
      if (operatorId) openShift(db, operatorId, minor(0), now);
    }).immediate();
    this.log.info({ withShift: operatorId !== undefined }, 'manager opened the business day');
    return this.day();
  }

  /** Closes the open shift (with the counted cash, if given) and the day, and makes the day's Z report, at once. */
  closeDay(countedCash: number | undefined): { day: ManagerDay; report: DayReportView } {
    const db = this.options.db();
    const now = this.now();
    const report = db.transaction(() => {
      if (currentShift(db)) closeShift(db, countedCash === undefined ? null : minor(countedCash), now);
      const dayId = closeBusinessDay(db, now);
      return zReportOnce(db, dayId, (day, entries) => buildDayReport('Z', this.till, day, entries, now, db), now);
    }).immediate();
    this.log.info({ businessDate: report.day.businessDate, entries: report.sales.count + report.voids.count + report.refunds.count }, 'manager closed the business day');
    return { day: this.day(), report: reportView(report) };
  }

  private get till(): ReportTill {
    const { branchId, posId, currency } = this.options.config;
    return { branchId, posId, currency };
  }

  /** X: the open day as it stands. Z: a closed day's stored report (made once, then the same every time). */
  dayReport(kind: 'X' | 'Z', businessDayId: number | undefined): DayReport {
    return dayReportFor(this.options.db(), this.till, kind, businessDayId, this.now());
  }

  report(kind: 'X' | 'Z', businessDayId: number | undefined): ManagerReport {
    const report = this.dayReport(kind, businessDayId);
    return { report: reportView(report), csv: dayReportCsv(report), fileName: dayReportFileName(report) };
  }

  printReport(kind: 'X' | 'Z', businessDayId: number | undefined): { queued: true; jobId: number } {
    return this.print({ kind: 'report', report: this.dayReport(kind, businessDayId) });
  }

  async settings(): Promise<ManagerSettings> {
    const c = this.options.config;
    const ports = await (this.options.findPorts ?? findDevicePorts)();
    return {
      branchId: c.branchId,
      posId: c.posId,
      mode: c.mode,
      sourceType: c.sourceType,
      locale: c.locale,
      currency: c.currency,
      timeZone: c.timeZone,
      printer: describePrinter(c.devices.printer),
      scanner: describeScannerConfig(c.devices.scanner),
      configFile: settingsFile(c, this.options.configFile),
      dataDir: c.dataDir,
      demo: c.demo,
      printerAddress: printerAddress(c.devices.printer),
      scannerAddress: scannerAddress(c.devices.scanner) ?? null,
      environmentWins: environmentWins(this.env),
      choices: { serialPorts: [...ports.serialPorts], usbPrinters: [...ports.usbPrinters] },
    };
  }

  /** Writes the change to the config file; the running agent keeps its settings until it is restarted. */
  saveSettings(change: SettingsChange): ManagerSaveSettings {
    const saved = saveSettings({ config: this.options.config, configFile: this.options.configFile, env: this.env, change });
    // Field names and the file only: the values (and the file around them) stay out of the log.
    this.log.info({ fields: saved.changed, file: saved.configFile }, 'manager saved settings; a restart applies them');
    return saved;
  }

  private get env(): NodeJS.ProcessEnv {
    return this.options.env ?? process.env;
  }
}

/** What the screen recommends for one effect, from its evidence and the manager's earlier retries. */
function recommended(e: AttentionEffect, retries: number): { recommendation: string; action: RecommendedAction } {
  const r = recommendFor(e, retries);
  return { recommendation: r.text, action: r.action };
}
