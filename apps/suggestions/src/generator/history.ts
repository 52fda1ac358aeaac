import { daysFromCivil, daysInMonth, formatDate, parseDate, weekday } from '@billing/recurrence';
import type { Frequency } from '@billing/recurrence';
import type { Currency } from '@billing/contracts';

/**
 * A labelled generator of realistic transaction histories, for the miner's tests and
 * `bench/suggestions`. Same seed, same history (a small seeded PRNG, no Math.random).
 *
 * Each counterparty has a canonical name and zero, one or two recurring streams, plus one-offs:
 * - 72 % one stream, 10 % two streams with different amounts (e.g. a 49.00 monthly subscription and a
 *   1,200.00 quarterly fee), 18 % none (only irregular purchases: every row labelled one-off);
 * - frequencies: monthly 42 %, quarterly 14 %, annually 10 %, weekly 12 %, biweekly 14 %, daily 8 %;
 * - 8 % of streams ended long before the end of the history (labelled `ENDED`: a miner should not
 *   propose them);
 * - direction: 30 % of counterparties pay us (incoming), the rest are paid by us; currency USD 80 %, else
 *   EUR, GBP, CAD or AUD for all of a counterparty's rows.
 *
 * Noise, each documented and switchable through `noise`:
 * - date jitter: a payment lands 1 day off its schedule (25 % of occurrences) or 2 days off (8 %);
 *   weekly and biweekly streams jitter by 1 day only (15 %); daily streams never;
 * - weekend shifts: a date on Saturday or Sunday moves to Monday (70 % of streams), to Friday (20 %) or
 *   stays (10 %);
 * - amount drift: 50 % of streams charge the same amount every time, 30 % jitter by up to ±4 % each time
 *   (usage-based bills), 20 % step up by 3–10 % once (a price rise);
 * - missed periods: 20 % of the streams of at least 6 occurrences (not annual ones) lack one payment
 *   (neither the first nor the last);
 * - one-offs: 0–3 irregular payments per counterparty (any amount from a fifth to three times the
 *   stream's), 4–12 for counterparties without a stream;
 * - name variants: each row's counterparty is written one of several ways —
 *   `NETFLIX.COM*4821`, `Netflix Inc`, `NETFLIX INC.`, `POS NETFLIX #0421`, `PAYPAL *NETFLIX`,
 *   `Netflix, Inc.` — that the normaliser must bring together.
 *
 * History length per stream (occurrences): daily 20–60 (recent), weekly 12–100, biweekly 8–60,
 * monthly 6–36, quarterly 4–12, annually 3–4 (a yearly payment seen only twice is not a pattern).
 */

export const ONE_OFF = -1;
export const ENDED = -2;

export interface TrueStream {
  id: number;
  counterparty: number;
  name: string;
  direction: 'incoming' | 'outgoing';
  currency: Currency;
  frequency: Frequency;
  amountMinor: number;
  occurrences: number;
  ended: boolean;
}

/** Columns, one entry per transaction, ordered by date. */
export interface History {
  count: number;
  dates: string[];
  days: Int32Array;
  amountsMinor: Float64Array;
  directions: Array<'incoming' | 'outgoing'>;
  currencies: Currency[];
  counterparties: string[];
  descriptions: string[];
  /** The stream a row belongs to (`TrueStream.id`), or ONE_OFF / ENDED. */
  labels: Int32Array;
  streams: TrueStream[];
  /** The last date of the history: what "now" is for the miner. */
  endDate: string;
}

export interface HistoryOptions {
  seed: number;
  counterparties: number;
  /** The last date of the history (default 2026-06-30). */
  endDate?: string;
  noise?: Partial<NoiseOptions>;
  /**
   * `dense`: one to three streams per counterparty and histories about four times as long (daily up to
   * 240 payments, weekly up to five years) — about 100 rows per counterparty, for the mining benchmark.
   */
  profile?: 'standard' | 'dense';
}

export interface NoiseOptions {
  dateJitter: boolean;
  weekendShift: boolean;
  amountDrift: boolean;
  missedPeriods: boolean;
  oneOffs: boolean;
  nameVariants: boolean;
}

const ALL_NOISE: NoiseOptions = {
  dateJitter: true,
  weekendShift: true,
  amountDrift: true,
  missedPeriods: true,
  oneOffs: true,
  nameVariants: true,
};

/** sfc32: small, fast, good enough for test data; seeded through splitmix32. */
export function prng(seed: number): () => number {
  let s = seed >>> 0;
  const split = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const FIRST = [
  'Blue',
  'North',
  'Acme',
  'Bright',
  'Cedar',
  'Delta',
  'Ember',
  'Falcon',
  'Granite',
  'Harbor',
  'Indigo',
  'Juniper',
  'Kestrel',
  'Lumen',
  'Maple',
  'Nimbus',
  'Orchid',
  'Pioneer',
  'Quartz',
  'Raven',
  'Summit',
  'Tidal',
  'Umber',
  'Vertex',
  'Willow',
  'Yonder',
  'Zephyr',
  'Atlas',
  'Beacon',
  'Cobalt',
  'Drift',
  'Evergreen',
  'Fjord',
  'Golden',
  'Horizon',
  'Ironwood',
  'Jade',
  'Keystone',
  'Lantern',
  'Meridian',
  'Nova',
  'Onyx',
  'Pinnacle',
  'Quill',
  'Redwood',
  'Sable',
  'Terra',
  'Unity',
  'Velvet',
  'Westwind',
];
const SECOND = [
  'Labs',
  'Cloud',
  'Media',
  'Systems',
  'Foods',
  'Logistics',
  'Studio',
  'Health',
  'Energy',
  'Networks',
  'Dynamics',
  'Works',
  'Analytics',
  'Supply',
  'Partners',
  'Software',
  'Security',
  'Telecom',
  'Fitness',
  'Insurance',
  'Properties',
  'Consulting',
  'Design',
  'Robotics',
  'Water',
  'Hosting',
  'Learning',
  'Payroll',
  'Freight',
  'Print',
  'Legal',
  'Dental',
  'Motors',
  'Garden',
  'Coffee',
  'Bakery',
  'Cleaning',
  'Storage',
  'Travel',
  'Mobile',
];
const THIRD = ['Group', 'Global', 'Digital', 'Direct', 'One', 'Plus', 'Pro', 'Hub', 'Box', 'Point'];
const LEGAL = ['Inc', 'LLC', 'Ltd', 'GmbH', 'Corp', 'Inc.', 'Ltd.'];
const DOMAINS = ['.com', '.io', '.net', '.co'];
const OTHER_CURRENCIES: Currency[] = ['EUR', 'GBP', 'CAD', 'AUD'];

interface Row {
  day: number;
  amountMinor: number;
  direction: 'incoming' | 'outgoing';
  currency: Currency;
  counterparty: string;
  description: string;
  label: number;
}

export function generateHistory(options: HistoryOptions): History {
  const rand = prng(options.seed);
  const noise = { ...ALL_NOISE, ...options.noise };
  const endDate = options.endDate ?? '2026-06-30';
  const endDay = parseDate(endDate);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;

  const rows: Row[] = [];
  const streams: TrueStream[] = [];
  const used = new Set<string>();

  for (let c = 0; c < options.counterparties; c++) {
    const name = uniqueName(used, pick, c);
    const direction = chance(0.3) ? 'incoming' : 'outgoing';
    const currency = chance(0.8) ? 'USD' : pick(OTHER_CURRENCIES);
    const legal = pick(LEGAL);
    const variant = noise.nameVariants ? variantWriter(name, legal, rand) : () => name;
    const kind = rand();
    const dense = options.profile === 'dense';
    const streamCount = dense ? 1 + Math.floor(rand() * 3) : kind < 0.72 ? 1 : kind < 0.82 ? 2 : 0;
    let baseAmount = 0;
    const usedAmounts: number[] = [];
    for (let s = 0; s < streamCount; s++) {
      const frequency = pickFrequency(rand());
      let amountMinor = streamAmount(frequency, rand);
      // A second stream differs clearly in amount (else it is the same stream to anyone).
      while (usedAmounts.some((a) => Math.abs(a - amountMinor) / Math.min(a, amountMinor) < 0.6)) {
        amountMinor = Math.round(amountMinor * (1.8 + rand() * 4));
      }
      usedAmounts.push(amountMinor);
      baseAmount ||= amountMinor;
      const ended = chance(0.08);
      const id = streams.length;
      const stream = emitStream(
        { id, counterparty: c, name, direction, currency, frequency, amountMinor, ended },
        endDay,
        noise,
        rand,
        dense ? DENSE_OCCURRENCES : OCCURRENCES,
      );
      streams.push({ ...stream.truth });
      for (const r of stream.rows) {
        rows.push({
          day: r.day,
          amountMinor: r.amountMinor,
          direction,
          currency,
          counterparty: variant(),
          description: r.description,
          label: ended ? ENDED : id,
        });
      }
    }
    if (noise.oneOffs) {
      const count = streamCount === 0 ? int(4, 12) : int(0, 3);
      const reference = baseAmount || int(1500, 80000);
      for (let i = 0; i < count; i++) {
        rows.push({
          day: endDay - int(0, 3 * 365),
          amountMinor: Math.max(100, Math.round(reference * (0.2 + rand() * 2.8))),
          direction,
          currency,
          counterparty: variant(),
          description: pick(['Purchase', 'Order', 'Adjustment', 'Refund of deposit', 'Fee', '']),
          label: ONE_OFF,
        });
      }
    }
  }

  rows.sort((a, b) => a.day - b.day);
  const count = rows.length;
  const history: History = {
    count,
    dates: new Array<string>(count),
    days: new Int32Array(count),
    amountsMinor: new Float64Array(count),
    directions: new Array<'incoming' | 'outgoing'>(count),
    currencies: new Array<Currency>(count),
    counterparties: new Array<string>(count),
    descriptions: new Array<string>(count),
    labels: new Int32Array(count),
    streams,
    endDate,
  };
  for (let i = 0; i < count; i++) {
    const r = rows[i];
    history.dates[i] = formatDate(r.day);
    history.days[i] = r.day;
    history.amountsMinor[i] = r.amountMinor;
    history.directions[i] = r.direction;
    history.currencies[i] = r.currency;
    history.counterparties[i] = r.counterparty;
    history.descriptions[i] = r.description;
    history.labels[i] = r.label;
  }
  return history;
}

/** The active (not ended) streams: what a miner should find. */
export function activeStreams(history: History): TrueStream[] {
  return history.streams.filter((s) => !s.ended);
}

function uniqueName(used: Set<string>, pick: <T>(xs: readonly T[]) => T, c: number): string {
  for (let attempt = 0; attempt < 50; attempt++) {
    const parts = [pick(FIRST), pick(SECOND)];
    if (attempt > 3) parts.push(pick(THIRD));
    if (attempt > 20) parts.push(pick(THIRD));
    const name = parts.join(' ');
    if (!used.has(name.toLowerCase())) {
      used.add(name.toLowerCase());
      return name;
    }
  }
  const name = `${pick(FIRST)} ${pick(SECOND)} ${toWords(c)}`;
  used.add(name.toLowerCase());
  return name;
}

/** A counter spelled with letters only (names never carry digits, which read as references). */
function toWords(n: number): string {
  let s = '';
  let v = n + 1;
  while (v > 0) {
    s = String.fromCharCode(97 + (v % 26)) + s;
    v = Math.floor(v / 26);
  }
  return s[0].toUpperCase() + s.slice(1);
}

/** The ways banks write one name: see the header. */
function variantWriter(name: string, legal: string, rand: () => number): () => string {
  const compact = name.replace(/\s+/g, '');
  const domain = DOMAINS[Math.floor(rand() * DOMAINS.length)];
  const digits = (n: number) => String(Math.floor(rand() * 10 ** n)).padStart(n, '0');
  const forms = [
    () => `${name} ${legal}`,
    () => `${compact.toUpperCase()}${domain.toUpperCase()}*${digits(4)}`,
    () => `${name.toUpperCase()} ${legal.toUpperCase().replace(/\.$/, '')}.`,
    () => `POS ${name.toUpperCase()} #${digits(4)}`,
    () => `PAYPAL *${compact.toUpperCase()}`,
    () => `${name}, ${legal.replace(/\.$/, '')}.`,
    () => name,
  ];
  // Each counterparty uses a few of the forms, one of them most of the time.
  const mine = [0, 1, 2, 3, 4, 5, 6].filter(() => rand() < 0.5);
  if (mine.length === 0) mine.push(Math.floor(rand() * forms.length));
  const main = mine[0];
  return () => forms[rand() < 0.6 ? main : mine[Math.floor(rand() * mine.length)]]();
}

function pickFrequency(r: number): Frequency {
  if (r < 0.42) return 'monthly';
  if (r < 0.56) return 'quarterly';
  if (r < 0.66) return 'annually';
  if (r < 0.78) return 'weekly';
  if (r < 0.92) return 'biweekly';
  return 'daily';
}

function streamAmount(frequency: Frequency, rand: () => number): number {
  const range: Record<Frequency, [number, number]> = {
    daily: [300, 4000],
    weekly: [2000, 40000],
    biweekly: [5000, 300000],
    monthly: [900, 500000],
    quarterly: [20000, 2000000],
    annually: [10000, 5000000],
  };
  const [lo, hi] = range[frequency];
  // Log-uniform, then rounded to whole units for fixed prices about half the time.
  const raw = Math.exp(Math.log(lo) + rand() * (Math.log(hi) - Math.log(lo)));
  return rand() < 0.5 ? Math.round(raw / 100) * 100 - (rand() < 0.5 ? 1 : 0) : Math.round(raw);
}

const OCCURRENCES: Record<Frequency, [number, number]> = {
  daily: [20, 60],
  weekly: [12, 100],
  biweekly: [8, 60],
  monthly: [6, 36],
  quarterly: [4, 12],
  annually: [3, 4],
};
const DENSE_OCCURRENCES: Record<Frequency, [number, number]> = {
  daily: [60, 240],
  weekly: [104, 260],
  biweekly: [52, 130],
  monthly: [24, 60],
  quarterly: [8, 20],
  annually: [3, 5],
};

function emitStream(
  base: Omit<TrueStream, 'occurrences'>,
  endDay: number,
  noise: NoiseOptions,
  rand: () => number,
  occurrences: Record<Frequency, [number, number]>,
): { truth: TrueStream; rows: Array<{ day: number; amountMinor: number; description: string }> } {
  const { frequency } = base;
  const [lo, hi] = occurrences[frequency];
  const count = lo + Math.floor(rand() * (hi - lo + 1));
  const period = { daily: 1, weekly: 7, biweekly: 14, monthly: 30.44, quarterly: 91.31, annually: 365.25 }[
    frequency
  ];
  // An ended stream stopped at least four periods (and two months) before the end of the history.
  const endGap = base.ended
    ? Math.max(60, Math.round(period * (4 + rand() * 4)))
    : Math.floor(rand() * period);
  const lastNominal = endDay - endGap;
  const shiftMode = rand() < 0.7 ? 1 : rand() < 0.67 ? -1 : 0;
  const drift = rand();
  const stepAt = Math.floor(rand() * count);
  const stepBy = 1.03 + rand() * 0.07;
  const missing =
    noise.missedPeriods && frequency !== 'annually' && count >= 6 && rand() < 0.2
      ? 1 + Math.floor(rand() * (count - 2))
      : -1;

  // Nominal dates counted back from the last one, on a fixed day of month or of the week.
  const nominal: number[] = [];
  if (frequency === 'daily' || frequency === 'weekly' || frequency === 'biweekly') {
    const step = period;
    for (let i = count - 1; i >= 0; i--) nominal.push(lastNominal - i * step);
  } else {
    const months = frequency === 'monthly' ? 1 : frequency === 'quarterly' ? 3 : 12;
    const dayOfMonth = rand() < 0.1 ? 31 : 1 + Math.floor(rand() * 28);
    const last = civil(lastNominal);
    for (let i = count - 1; i >= 0; i--) {
      const monthIndex = last.year * 12 + last.month - 1 - i * months;
      const year = Math.floor(monthIndex / 12);
      const month = monthIndex - year * 12 + 1;
      nominal.push(daysFromCivil(year, month, Math.min(dayOfMonth, daysInMonth(year, month))));
    }
  }

  const rows: Array<{ day: number; amountMinor: number; description: string }> = [];
  for (let i = 0; i < count; i++) {
    if (i === missing) continue;
    let day = nominal[i];
    if (noise.dateJitter && frequency !== 'daily') {
      const r = rand();
      const dayBased = frequency === 'weekly' || frequency === 'biweekly';
      const off = dayBased ? (r < 0.15 ? 1 : 0) : r < 0.08 ? 2 : r < 0.33 ? 1 : 0;
      day += off * (rand() < 0.5 ? -1 : 1);
    }
    if (noise.weekendShift && frequency !== 'daily' && shiftMode !== 0) {
      const wd = weekday(day);
      if (wd === 5) day += shiftMode > 0 ? 2 : -1;
      else if (wd === 6) day += shiftMode > 0 ? 1 : -2;
    }
    if (day > endDay) continue;
    let amount = base.amountMinor;
    if (noise.amountDrift) {
      if (drift >= 0.5 && drift < 0.8) amount = Math.round(amount * (1 + (rand() * 2 - 1) * 0.04));
      else if (drift >= 0.8 && i >= stepAt) amount = Math.round(amount * stepBy);
    }
    rows.push({ day, amountMinor: Math.max(1, amount), description: describe(frequency, day) });
  }
  return { truth: { ...base, occurrences: rows.length }, rows };
}

function describe(frequency: Frequency, day: number): string {
  const date = formatDate(day);
  switch (frequency) {
    case 'daily':
      return 'Daily service';
    case 'weekly':
    case 'biweekly':
      return `Service week of ${date}`;
    case 'monthly':
      return `Subscription ${date.slice(0, 7)}`;
    case 'quarterly':
      return `Quarterly fee ${date.slice(0, 4)}`;
    case 'annually':
      return `Annual plan ${date.slice(0, 4)}`;
  }
}

function civil(day: number): { year: number; month: number } {
  const d = formatDate(day);
  return { year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)) };
}

/** The history as transaction inputs (what an import or the bus would carry). */
export function toTransactionInputs(history: History): Array<{
  date: string;
  amount: string;
  direction: 'incoming' | 'outgoing';
  currency: Currency;
  counterparty: string;
  description: string;
}> {
  const out = [];
  for (let i = 0; i < history.count; i++) {
    const minor = history.amountsMinor[i];
    out.push({
      date: history.dates[i],
      amount: `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`,
      direction: history.directions[i],
      currency: history.currencies[i],
      counterparty: history.counterparties[i],
      description: history.descriptions[i],
    });
  }
  return out;
}
