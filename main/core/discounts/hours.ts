/**
 * `discount_hours`: the weekday and minute of the purchase in the rule's own time zone. Intl does the time-zone
 * arithmetic (daylight saving included), so the core needs no time-zone data of its own.
 */
import { DAYS, type Day } from './schema';
import type { Period } from './model';

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Readonly<Record<string, Day>> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

export type LocalTime = { readonly day: Day; readonly minute: number };

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localTime(at: number, timeZone: string): LocalTime {
  let day: Day = 'mon';
  let hour = 0;
  let minute = 0;
  for (const part of formatter(timeZone).formatToParts(at)) {
    if (part.type === 'weekday') day = WEEKDAYS[part.value] ?? day;
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

function previousDay(day: Day): Day {
  return DAYS[(DAYS.indexOf(day) + 6) % 7] as Day;
}

/**
 * A period is [start, end) on its day. An end at or before the start runs past midnight into the next day
 * (fri 22:00-02:00 covers Saturday 01:30), and 00:00-00:00 or 00:00-24:00 is the whole day.
 */
export function withinHours(t: LocalTime, periods: readonly Period[]): boolean {
  for (const p of periods) {
    if (p.end > p.start) {
      if (p.day === t.day && t.minute >= p.start && t.minute < p.end) return true;
    } else {
      if (p.day === t.day && t.minute >= p.start) return true;
      if (previousDay(t.day) === p.day && t.minute < p.end) return true;
    }
  }
  return false;
}

const LABEL: Readonly<Record<Day, string>> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

function hhmm(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** "Mon-Fri 10:00-20:00, Sat 10:00-16:00": days with the same periods are joined into runs. */
export function describeHours(periods: readonly Period[]): string {
  const byDay = new Map<Day, string>();
  for (const day of DAYS) {
    const spans = periods
      .filter((p) => p.day === day)
      .sort((a, b) => a.start - b.start)
      .map((p) => `${hhmm(p.start)}-${hhmm(p.end)}`);
    if (spans.length > 0) byDay.set(day, spans.join(' and '));
  }
  const parts: string[] = [];
  let i = 0;
  while (i < DAYS.length) {
    const day = DAYS[i] as Day;
    const spans = byDay.get(day);
    if (spans === undefined) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < DAYS.length && byDay.get(DAYS[j + 1] as Day) === spans) j++;
    const last = DAYS[j] as Day;
    const days = j === i ? LABEL[day] : j === i + 1 ? `${LABEL[day]},${LABEL[last]}` : `${LABEL[day]}-${LABEL[last]}`;
    parts.push(`${days} ${spans}`);
    i = j + 1;
  }
  return parts.join(', ');
}
