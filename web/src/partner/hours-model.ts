/**
 * The weekly editor's model and its OpenStreetMap `opening_hours` text, both ways. The
 * editor writes a small, regular subset of the syntax ("Mo-Fr 09:00-19:00; Sa 18:00-02:00;
 * PH off"); a value outside that subset opens in the raw text field instead of being
 * rewritten. Ranges may run past midnight (`to` before `from`). No I/O.
 */
export const DAY_CODES = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
export type DayCode = (typeof DAY_CODES)[number];

export interface TimeRange {
  from: string; // HH:MM
  to: string; // HH:MM; earlier than `from` (or equal to 00:00): the next day
}

export interface DayHours {
  mode: 'closed' | 'open' | 'allDay';
  ranges: TimeRange[];
}

export interface WeekModel {
  /** Monday first. */
  days: DayHours[];
  /** `PH off`: closed on public holidays. */
  holidaysClosed: boolean;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export const emptyWeek = (): WeekModel => ({
  days: DAY_CODES.map(() => ({ mode: 'closed', ranges: [] })),
  holidaysClosed: false,
});

/** A problem of one day, by its key (translated by the editor), or null. */
export function dayProblem(day: DayHours): 'noRange' | 'badTime' | 'sameTimes' | null {
  if (day.mode !== 'open') return null;
  if (day.ranges.length === 0) return 'noRange';
  for (const r of day.ranges) {
    if (!HHMM.test(r.from) || !HHMM.test(r.to)) return 'badTime';
    if (r.from === r.to) return 'sameTimes';
  }
  return null;
}

export const weekIsValid = (week: WeekModel) => week.days.every((d) => dayProblem(d) === null);

/** Whether a range ends the next day (18:00–02:00). */
export const pastMidnight = (r: TimeRange) =>
  HHMM.test(r.from) && HHMM.test(r.to) && r.to !== '00:00' && r.to < r.from;

function rangesText(day: DayHours): string | null {
  if (day.mode === 'closed') return null;
  if (day.mode === 'allDay') return '00:00-24:00';
  // 18:00-00:00 is written 18:00-24:00: the same day's end, not a 6-hour range into tomorrow.
  return [...day.ranges]
    .sort((a, b) => a.from.localeCompare(b.from))
    .map((r) => `${r.from}-${r.to === '00:00' ? '24:00' : r.to}`)
    .join(',');
}

/** "Mo-We,Fr" for days 0, 1, 2, 4. */
function daysText(indexes: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < indexes.length; ) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j] + 1) j++;
    const first = DAY_CODES[indexes[i]];
    const last = DAY_CODES[indexes[j]];
    parts.push(j === i ? first : j === i + 1 ? `${first},${last}` : `${first}-${last}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * The `opening_hours` value of a week; null when the venue is never open (hours unknown to
 * the server, which is what an empty week means). Days left out are closed.
 */
export function toOpeningHours(week: WeekModel): string | null {
  const texts = week.days.map(rangesText);
  if (texts.every((t) => t === '00:00-24:00')) return week.holidaysClosed ? '24/7; PH off' : '24/7';
  const groups = new Map<string, number[]>();
  texts.forEach((text, day) => {
    if (text === null) return;
    groups.set(text, [...(groups.get(text) ?? []), day]);
  });
  if (groups.size === 0) return null;
  const rules = [...groups].map(([ranges, days]) => `${daysText(days)} ${ranges}`);
  // `, ` (additional rule) and not `; `: a later `;` rule would wipe the night of the day
  // before (`Sa 20:00-02:00; Su 10:00-12:00` loses Sunday 00:00–02:00 in opening_hours).
  return rules.join(', ') + (week.holidaysClosed ? '; PH off' : '');
}

// Day codes as the library takes them, whatever their case ("mo-su").
const DAY_TOKEN = /^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$/i;
const dayIndex = (code: string) =>
  DAY_CODES.indexOf((code[0].toUpperCase() + code[1].toLowerCase()) as DayCode);
const RANGE_RE = /^(\d{1,2}:[0-5]\d)-(\d{1,2}:[0-5]\d)$/;

/** The days a rule is for ("Mo-We,Fr", wrapping "Fr-Mo"), and whether public holidays too ("Su,PH"). */
interface Selector {
  days: number[];
  holidays: boolean;
}

function parseSelector(text: string): Selector | null {
  const selector: Selector = { days: [], holidays: false };
  for (const token of text.split(',')) {
    if (token.toUpperCase() === 'PH') {
      selector.holidays = true;
      continue;
    }
    const m = DAY_TOKEN.exec(token);
    if (!m) return null;
    const a = dayIndex(m[1]);
    const b = dayIndex(m[2] ?? m[1]);
    for (let d = a; ; d = (d + 1) % 7) {
      if (!selector.days.includes(d)) selector.days.push(d);
      if (d === b) break;
    }
  }
  return selector;
}

/** "8:30" as "08:30"; null when not a time of day ("24:00" is kept: the end of a day). */
function time(text: string): string | null {
  const padded = text.padStart(5, '0');
  return HHMM.test(padded) || padded === '24:00' ? padded : null;
}

function parseRanges(text: string): DayHours | null {
  if (text === 'off' || text === 'closed') return { mode: 'closed', ranges: [] };
  const ranges: TimeRange[] = [];
  for (const part of text.split(',')) {
    const m = RANGE_RE.exec(part.trim());
    const [from, to] = m ? [time(m[1]), time(m[2])] : [null, null];
    if (!from || !to || from === '24:00' || from === to) return null;
    if (from === '00:00' && to === '24:00') return text.includes(',') ? null : { mode: 'allDay', ranges: [] };
    ranges.push({ from, to: to === '24:00' ? '00:00' : to });
  }
  return { mode: 'open', ranges };
}

const copyOf = (day: DayHours): DayHours => ({ mode: day.mode, ranges: day.ranges.map((r) => ({ ...r })) });
const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];

/** A week as read from a value: the days, and public holidays when they differ from them. */
export interface ReadWeek {
  /** Monday first. */
  days: DayHours[];
  /** null: a public holiday is like the same weekday; else the hours of every public holiday. */
  holidays: DayHours | null;
}

/**
 * Reads the part of the `opening_hours` syntax people write for a venue: weekday rules, hours
 * past midnight, `off`, additional rules (`, `), `24/7`, public holidays (`PH off`,
 * `Su,PH 09:00-13:00`). As the opening_hours library does, a later `;` rule replaces what
 * earlier ones said about its days, the night the day before ran into them included, and
 * keeps the night their own earlier hours ran into the next day (the library is the oracle of
 * the tests). Null outside that part (months, week numbers, comments, sunset…).
 */
export function readOpeningHours(value: string | null | undefined): ReadWeek | null {
  const days: DayHours[] = DAY_CODES.map(() => ({ mode: 'closed', ranges: [] }));
  let holidays: DayHours | null = null;
  const text = value?.trim() ?? '';

  /** Day `d` is a later rule's: nights running into it from earlier rules stop at midnight. */
  const replace = (d: number, hours: DayHours, rule: number[]) => {
    const before = (d + 6) % 7;
    if (!rule.includes(before)) for (const r of days[before].ranges) if (pastMidnight(r)) r.to = '00:00';
    // Its own earlier night stays in the next day (when the next day is not this rule's).
    const after = (d + 1) % 7;
    const nights = days[d].ranges.filter(pastMidnight);
    if (!rule.includes(after) && days[after].mode !== 'allDay')
      for (const r of nights) {
        days[after].mode = 'open';
        days[after].ranges.push({ from: '00:00', to: r.to });
      }
    days[d] = copyOf(hours);
  };
  const add = (d: number, hours: DayHours) => {
    const before = days[d];
    if (before.mode === 'closed' || hours.mode === 'allDay') days[d] = copyOf(hours);
    else if (before.mode === 'open') before.ranges.push(...copyOf(hours).ranges);
  };

  let first = true;
  for (const raw of text.split(';')) {
    const rule = raw.trim().replace(/\s+/g, ' ');
    if (!rule) continue;
    // Hours alone ("18:00-02:00") are every day's; after other rules, the library's reading differs.
    const everyDay = first && rule !== '24/7' && /^\d/.test(rule);
    first = false;
    if (rule === '24/7' || everyDay) {
      const hours: DayHours | null = everyDay
        ? parseRanges(rule.replace(/\s/g, ''))
        : { mode: 'allDay', ranges: [] };
      if (!hours || hours.mode === 'closed') return null;
      for (const d of ALL_DAYS) replace(d, hours, ALL_DAYS);
      holidays = null; // holidays too
      continue;
    }
    // "Mo-Fr 09:00-12:00, Sa 10:00-02:00": a comma after a time or `off` starts an additional rule.
    const parts = rule.split(/(?<=\d|off|closed), ?(?=[A-Za-z])/);
    for (const [n, part] of parts.entries()) {
      const space = part.indexOf(' ');
      if (space < 0) return null;
      const selector = parseSelector(part.slice(0, space));
      const hours = parseRanges(part.slice(space + 1).replace(/\s/g, ''));
      if (!selector || !hours || (n > 0 && hours.mode === 'closed')) return null;
      const additional = n > 0;
      if (selector.holidays) {
        if (!additional || holidays === null) holidays = copyOf(hours);
        else if (holidays.mode === 'closed' || hours.mode === 'allDay') holidays = copyOf(hours);
        else if (holidays.mode === 'open') holidays.ranges.push(...copyOf(hours).ranges);
      } else if (holidays !== null && selector.days.length > 0) {
        // A holiday falling on these days now follows this rule (or gets its hours added):
        // holiday hours that depend on the weekday are beyond this reading.
        if (additional || selector.days.length < 7) return null;
        holidays = null;
      }
      for (const d of selector.days) {
        if (additional) add(d, hours);
        else replace(d, hours, selector.days);
      }
    }
  }
  return { days, holidays };
}

/**
 * The editor's model of a value, or null when the value is outside what the editor writes
 * (holiday hours other than "closed", or anything `readOpeningHours` cannot read).
 */
export function fromOpeningHours(value: string | null | undefined): WeekModel | null {
  const read = readOpeningHours(value);
  if (!read) return null;
  if (read.holidays !== null && read.holidays.mode !== 'closed') return null;
  return { days: read.days, holidaysClosed: read.holidays !== null };
}

export interface WeekWords {
  /** Monday is 0. */
  day: (index: number) => string;
  closed: string;
  allDay: string;
  holidaysClosed: string;
  /** "jours fériés": the name of public holidays, before their hours. */
  holidays: string;
  /** Between the days and their hours: " : " in French, ": " in English. */
  colon: string;
}

/** The week as a line: days with the same text grouped ("mardi – samedi : 17:00–02:00"). */
function describeDays(texts: string[], words: WeekWords): string[] {
  const parts: string[] = [];
  for (let i = 0; i < texts.length; ) {
    let j = i;
    while (j + 1 < texts.length && texts[j + 1] === texts[i]) j++;
    const days = j === i ? words.day(i) : `${words.day(i)} – ${words.day(j)}`;
    parts.push(`${days}${words.colon}${texts[i]}`);
    i = j + 1;
  }
  return parts;
}

const dayText = (d: DayHours, words: WeekWords) =>
  d.mode === 'closed'
    ? words.closed
    : d.mode === 'allDay'
      ? words.allDay
      : [...d.ranges]
          .sort((a, b) => a.from.localeCompare(b.from))
          // A day that ends at midnight ends at 24:00, as on the citizen's card (not "08:30–00:00").
          .map((r) => `${r.from}–${r.to === '00:00' ? '24:00' : r.to}`)
          .join(', ');

/**
 * A value read as people read hours ("lundi – samedi : 17:00–02:00 · dimanche : Fermé ·
 * jours fériés : 09:00–13:00"), for screens that show it without the editor; null when
 * `readOpeningHours` cannot read it (never the raw value: readable-hours.ts then says the hours
 * are special).
 */
export function describeHours(value: string, words: WeekWords): string | null {
  // (Monday is day 0 of the model, as of `words.day`.)
  const week = readOpeningHours(value);
  if (!week) return null;
  const parts = describeDays(
    week.days.map((d) => dayText(d, words)),
    words,
  );
  if (week.holidays?.mode === 'closed') parts.push(words.holidaysClosed);
  else if (week.holidays) parts.push(`${words.holidays}${words.colon}${dayText(week.holidays, words)}`);
  return parts.join(' · ');
}
