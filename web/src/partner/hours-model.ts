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

const DAY_RE = '(?:Mo|Tu|We|Th|Fr|Sa|Su)';
const DAYS_RE = new RegExp(`^${DAY_RE}(?:-${DAY_RE})?(?:,${DAY_RE}(?:-${DAY_RE})?)*$`);
const RANGE_RE = /^([0-2]\d:[0-5]\d)-([0-2]\d:[0-5]\d)$/;

function parseDays(text: string): number[] | null {
  if (!DAYS_RE.test(text)) return null;
  const out: number[] = [];
  for (const part of text.split(',')) {
    const [a, b = a] = part.split('-').map((d) => DAY_CODES.indexOf(d as DayCode));
    // Mo-Su, and wrapping ranges such as Fr-Mo.
    for (let d = a; ; d = (d + 1) % 7) {
      out.push(d);
      if (d === b) break;
    }
  }
  return out;
}

function parseRanges(text: string): DayHours | null {
  if (text === 'off' || text === 'closed') return { mode: 'closed', ranges: [] };
  const ranges: TimeRange[] = [];
  for (const part of text.split(',')) {
    const m = RANGE_RE.exec(part.trim());
    if (!m) return null;
    const [from, to] = [m[1], m[2]];
    if (from === '00:00' && to === '24:00') return text.includes(',') ? null : { mode: 'allDay', ranges: [] };
    if (!HHMM.test(from) || !(HHMM.test(to) || to === '24:00')) return null;
    ranges.push({ from, to: to === '24:00' ? '00:00' : to });
  }
  return { mode: 'open', ranges };
}

/** The editor's model of a value, or null when the value is outside what the editor writes. */
export function fromOpeningHours(value: string | null | undefined): WeekModel | null {
  const week = emptyWeek();
  const text = value?.trim() ?? '';
  if (!text) return week;
  for (const raw of text.split(';')) {
    const rule = raw.trim().replace(/\s+/g, ' ');
    if (!rule) continue;
    if (rule === '24/7') {
      week.days = DAY_CODES.map(() => ({ mode: 'allDay', ranges: [] }));
      continue;
    }
    if (rule === 'PH off' || rule === 'PH closed') {
      week.holidaysClosed = true;
      continue;
    }
    // "Mo-Fr 09:00-12:00, Sa 10:00-02:00": a comma after a time or `off` starts an additional rule.
    const parts = rule.split(/(?<=\d|off|closed), ?(?=[A-Z])/);
    for (const [n, part] of parts.entries()) {
      const space = part.indexOf(' ');
      if (space < 0) return null;
      const days = parseDays(part.slice(0, space));
      const hours = parseRanges(part.slice(space + 1).replace(/\s/g, ''));
      if (!days || !hours || (n > 0 && hours.mode === 'closed')) return null;
      for (const d of days) {
        const copy: DayHours = { mode: hours.mode, ranges: hours.ranges.map((r) => ({ ...r })) };
        const before = week.days[d];
        // As in opening_hours: a `;` rule replaces what earlier ones said about its days, a `,` rule adds.
        if (n === 0 || before.mode === 'closed' || copy.mode === 'allDay') week.days[d] = copy;
        else if (before.mode === 'open') before.ranges.push(...copy.ranges);
      }
    }
  }
  return week;
}

export interface WeekWords {
  /** Monday is 0. */
  day: (index: number) => string;
  closed: string;
  allDay: string;
  holidaysClosed: string;
  /** Between the days and their hours: " : " in French, ": " in English. */
  colon: string;
}

/**
 * A value read as people read hours ("lundi – samedi : 17:00–02:00 · dimanche : Fermé"), for
 * screens that show it without the editor. A value outside the editor's subset is shown as
 * written (null model): better raw than wrong.
 */
export function describeHours(value: string, words: WeekWords): string {
  // (Monday is day 0 of the model, as of `words.day`.)
  const week = fromOpeningHours(value);
  if (!week) return value;
  const texts = week.days.map((d) =>
    d.mode === 'closed'
      ? words.closed
      : d.mode === 'allDay'
        ? words.allDay
        : [...d.ranges]
            .sort((a, b) => a.from.localeCompare(b.from))
            .map((r) => `${r.from}–${r.to}`)
            .join(', '),
  );
  const parts: string[] = [];
  for (let i = 0; i < 7; ) {
    let j = i;
    while (j + 1 < 7 && texts[j + 1] === texts[i]) j++;
    const days = j === i ? words.day(i) : `${words.day(i)} – ${words.day(j)}`;
    parts.push(`${days}${words.colon}${texts[i]}`);
    i = j + 1;
  }
  if (week.holidaysClosed) parts.push(words.holidaysClosed);
  return parts.join(' · ');
}
