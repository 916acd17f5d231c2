/**
 * Dates and times in the store's time zone (the till's `timeZone` setting), never the machine's or UTC: a till
 * in Oslo whose browser runs in UTC showed the resume list an hour off.
 */
export function formatDateTime(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function formatTime(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone }).format(new Date(iso));
}
