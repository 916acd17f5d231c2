import type { IdentifyCustomerInput, SaleView } from '../../api/contract';
import { because } from '../../core/error-reasons';
import { assertNever, TillError } from '../../core/errors';
import { identifyCustomer } from '../../core/sale';
import type { CustomerInfo } from '../../core/sale/basket-snapshot';
import { maskId, parseMemberCode } from '../../core/sale/member-code';
import type { ScanEvent } from '../../devices/scanners/scan-stream';
import type { IdentifyQuery } from '../member-directory';
import { failureOf } from './failure-notice';
import type { ScanOutcome } from './sale-options';
import type { SaleSession } from './sale-session';
import { customerLabel } from './sale-view';

function queryOf(input: IdentifyCustomerInput): IdentifyQuery | undefined {
  if (input.memberNumber !== undefined) return { by: 'number', memberNumber: input.memberNumber };
  if (input.phone !== undefined) return { by: 'phone', phone: input.phone };
  if (input.qr !== undefined) {
    const code = parseMemberCode(input.qr);
    if (!code) throw new TillError('SCHEMA_INVALID', 'qr: not a member code; a member QR reads MEMBER: followed by the membership number (4 to 20 digits).', because('member.qr-invalid', {}));
    return { by: 'number', memberNumber: code.memberNumber };
  }
  return undefined;
}

/**
 * Who the customer is: by membership number, phone number or a scanned member code, looked up online (or in the
 * cache offline) through the member directory, or by ids given as they are. The basket is priced for them.
 */
export class CustomerLookup {
  /** Member codes scanned: the lookup's final outcome, for the caller that pushed the scan. */
  private readonly memberScans = new WeakMap<ScanEvent, Promise<ScanOutcome>>();

  constructor(private readonly session: SaleSession) {}

  /**
   * Identifies the customer; an empty input takes the customer off the sale. An unknown member is an error and
   * leaves the sale exactly as it was.
   */
  async identifyCustomer(input: IdentifyCustomerInput): Promise<SaleView> {
    const session = this.session;
    session.ensureReady();
    const query = queryOf(input);
    if (!query) {
      const ids = { ...(input.memberId ? { memberId: input.memberId } : {}), ...(input.customerId ? { customerId: input.customerId } : {}) };
      session.assertNoCardPayment();
      return this.withCustomer(ids.memberId || ids.customerId ? ids : undefined, () => session.change(() => identifyCustomer(session.state.basket, ids)));
    }
    const customer = await this.lookUp(query);
    return this.attach(customer);
  }

  /**
   * The customer the back ends (or the cache) know for the query. Throws NOT_FOUND when the back end said no such
   * member, BACKEND_UNREACHABLE when it could not be asked and nothing was cached (the cashier may retry), and
   * BACKEND_REFUSED when it answered and refused the request itself.
   */
  private async lookUp(query: IdentifyQuery): Promise<CustomerInfo> {
    const directory = this.session.options.directory;
    // Never the phone number in a message or a log line: it is personal data.
    const who = query.by === 'number' ? `membership number ${query.memberNumber}` : 'this phone number';
    if (!directory) throw new TillError('NOT_FOUND', `No member can be looked up at this till (no back end or cache); ${who} was not found.`, because('member.lookup-unavailable', {}));
    const notFound = query.by === 'number' ? because('member.number-not-found', { number: query.memberNumber }) : because('member.phone-not-found', {});
    const unreachable = query.by === 'number' ? because('member.number-unreachable', { number: query.memberNumber }) : because('member.phone-unreachable', {});
    const answer = await directory.identify(query);
    switch (answer.status) {
      case 'found':
        return answer.customer;
      case 'not_found':
        throw new TillError('NOT_FOUND', `No member has ${who}. The sale is unchanged.`, notFound);
      case 'unavailable':
        throw new TillError('BACKEND_UNREACHABLE', `No member with ${who} is known on this till, and the loyalty back end cannot be reached to ask. The sale is unchanged.`, unreachable);
      case 'refused':
        throw new TillError('BACKEND_REFUSED', `The loyalty back end refused to look up ${who}: ${answer.reason}. The sale is unchanged.`, because('member.refused', {}));
      default:
        return assertNever(answer);
    }
  }

  private attach(customer: CustomerInfo): SaleView {
    const session = this.session;
    // Refused before anything is assigned: a refused attach leaves the sale exactly as it was.
    session.assertNoCardPayment();
    const ids = { ...(customer.memberId ? { memberId: customer.memberId } : {}), ...(customer.customerId ? { customerId: customer.customerId } : {}) };
    return this.withCustomer(customer, () => session.change(() => identifyCustomer(session.state.basket, ids), { code: 'member', subject: customerLabel(customer) }));
  }

  /** Sets the customer for a change; a refused change (tenders above the member's price) puts the old one back. */
  private withCustomer(customer: CustomerInfo | undefined, change: () => SaleView): SaleView {
    const state = this.session.state;
    const before = state.customer;
    state.customer = customer;
    try {
      return change();
    } catch (err) {
      state.customer = before;
      throw err;
    }
  }

  /** A scanned member code: looked up in the background; the outcome is published when it is known. */
  scanMember(event: ScanEvent): ScanOutcome {
    const session = this.session;
    try {
      session.ensureReady();
      const code = parseMemberCode(event.raw);
      if (!code) return session.fail({ code: 'unknown-member', subject: event.raw, message: 'not a member code: a member QR reads MEMBER: followed by the membership number', ...because('member.qr-invalid', {}) });
      const subject = maskId(code.memberNumber);
      session.say('info', { code: 'member-lookup', subject });
      session.bump();
      const pending = session.outcome(true, session.publish());
      const refused = (err: unknown): ScanOutcome => session.fail({ code: 'unknown-member', subject, ...failureOf(err) });
      // The answer may come when the basket can no longer take a customer (a kiosk card payment started
      // meanwhile): attaching then throws, and that is the cashier's notice, not an error nobody awaits.
      const settled = this.lookUp({ by: 'number', memberNumber: code.memberNumber }).then((customer) => {
        try {
          return session.outcome(true, this.attach(customer));
        } catch (err) {
          return refused(err);
        }
      }, refused);
      // A hardware scan has nobody awaiting the outcome: a failure even to publish the notice is logged here
      // (the screen that pushed the scan still gets the rejection through settledOutcomeOf).
      settled.catch((err: unknown) => session.logger().error({ err, member: subject }, 'sale: a member scan could not be finished'));
      this.memberScans.set(event, settled);
      return pending;
    } catch (err) {
      return session.fail({ code: 'failed', subject: event.raw, ...failureOf(err) });
    }
  }

  /** For a scan pushed by the screen: the final outcome once a member code has been looked up. */
  settledOutcomeOf(event: ScanEvent): Promise<ScanOutcome> | undefined {
    return this.memberScans.get(event);
  }
}
