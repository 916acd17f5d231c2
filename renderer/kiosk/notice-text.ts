import type { SaleNotice } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';
import { wordReason, type WordingContext } from '../shared/i18n-errors';

/** A sale notice in the customer's words (the basket's notice bar, and the code and item dialogs). */
export function noticeText(n: SaleNotice, t: Messages, ctx: WordingContext): string {
  // A refusal with a reason is worded in the kiosk's language; without one the customer gets the short sentence.
  switch (n.code) {
    case 'added':
      return `${t.noticeAdded}: ${n.subject}`;
    case 'unknown-item':
      return t.noticeUnknownItem;
    case 'bad-barcode':
      return (n.scanError && t.scanErrors[n.scanError]) ?? t.noticeBadBarcode;
    case 'weight-required':
      return `${n.subject}: ${t.noticeWeightRequired}`;
    case 'failed':
      return n.reason ? wordReason(n.reason, n.params, ctx) : t.noticeFailed;
    case 'member-lookup':
      return `${t.noticeMemberLookup}…`;
    case 'member':
      return t.kioskWelcomeMember.replace('{name}', n.subject);
    case 'unknown-member':
      return n.reason ? wordReason(n.reason, n.params, ctx) : t.noticeUnknownMember;
  }
}
