import { daysFromCivil, daysInMonth, weekday } from '@billing/recurrence';
import type { Frequency } from '@billing/recurrence';

/**
 * Finds recurring streams in the transactions of one group (one counterparty key, direction and
 * currency). Pure and allocation-light: the caller hands columns (epoch days, amounts in minor units)
 * and the indices of the group's rows; nothing here knows about Nest or the database.
 *
 * 1. Amount clusters: the group's amounts sorted, split where one is more than AMOUNT_GAP above the
 *    previous. A 49.00 monthly subscription and a 1,200.00 quarterly fee of the same vendor become two
 *    clusters; an amount drifting a few percent stays in one.
 * 2. Each cluster is fitted against every frequency. A fit lays a grid over the dates — a day-based
 *    grid (anchor + k × period, the anchor's offset corrected by the median residual) or a month grid
 *    (the typical day of month, clamped to short months, every 1, 3 or 12 months) — tried from a few
 *    anchors so that a one-off at the start cannot misalign it. A date within the frequency's tolerance
 *    of its grid slot is an inlier (one per slot): weekend shifts and jitter stay inside, one-offs fall
 *    out. Score = inliers / grid slots between the first and last inlier (missed periods cost a little)
 *    × inliers / cluster size (dates the grid does not explain cost too). The best-scoring frequency
 *    with enough inliers and slot coverage wins.
 * 3. The stream's rows leave the cluster; the rest is fitted again (two streams of the same amount).
 * 4. Confidence from regularity of dates and amounts, coverage, purity and history length; a stream
 *    whose last payment is more than STALE_PERIODS periods before `asOfDay` is over and not proposed.
 */

export interface MinedStream {
  frequency: Frequency;
  /** Monthly, quarterly, annually: the typical day of month (1..31). */
  dayOfMonth: number | null;
  /** Weekly, biweekly: the typical weekday, 0 = Monday. */
  dayOfWeek: number | null;
  /** Indices (into the caller's columns) of the stream's transactions, by date. */
  members: number[];
  occurrences: number;
  firstDay: number;
  lastDay: number;
  /** The predicted next occurrence (epoch day), after the last one and not before `asOfDay` − tolerance. */
  nextDay: number;
  /** Mean amount of the stream's transactions in minor units, rounded half-up. */
  averageMinor: bigint;
  lastMinor: bigint;
  /** Slots of the grid between first and last occurrence without a payment. */
  missed: number;
  confidence: number;
}

export interface MineOptions {
  /** Streams below this confidence are not proposed. */
  minConfidence?: number;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;
/** Relative step between consecutive sorted amounts that starts a new amount cluster. */
export const AMOUNT_GAP = 0.15;
/** A stream silent for more than this many periods (at `asOfDay`) has ended. */
export const STALE_PERIODS = 2.5;
/** The share of grid slots (first to last occurrence) that must hold a payment. */
const MIN_COVERAGE = 0.7;

interface FrequencyRule {
  frequency: Frequency;
  /** Days between occurrences (day-based grid), 0 for month grids. */
  days: number;
  /** Months between occurrences (month grid), 0 for day-based grids. */
  months: number;
  /** Mean length of the period in days (staleness, scores). */
  period: number;
  /** How far (days) a payment may sit from its grid slot: jitter and weekend shifts. */
  tolerance: number;
  minOccurrences: number;
  /** More empty slots in a row than this end a run of payments (a paused or restarted stream). */
  maxMissedInARow: number;
}

export const FREQUENCY_RULES: readonly FrequencyRule[] = [
  { frequency: 'daily', days: 1, months: 0, period: 1, tolerance: 0, minOccurrences: 10, maxMissedInARow: 3 },
  { frequency: 'weekly', days: 7, months: 0, period: 7, tolerance: 2, minOccurrences: 4, maxMissedInARow: 8 },
  {
    frequency: 'biweekly',
    days: 14,
    months: 0,
    period: 14,
    tolerance: 3,
    minOccurrences: 4,
    maxMissedInARow: 4,
  },
  {
    frequency: 'monthly',
    days: 0,
    months: 1,
    period: 30.44,
    tolerance: 4,
    minOccurrences: 3,
    maxMissedInARow: 2,
  },
  {
    frequency: 'quarterly',
    days: 0,
    months: 3,
    period: 91.31,
    tolerance: 6,
    minOccurrences: 3,
    maxMissedInARow: 2,
  },
  {
    frequency: 'annually',
    days: 0,
    months: 12,
    period: 365.25,
    tolerance: 8,
    minOccurrences: 3,
    maxMissedInARow: 1,
  },
];

const MIN_POINTS = 3;

/** Per-row calendar facts of a cluster, computed once (no Date objects, no per-fit allocation). */
interface Points {
  n: number;
  idx: Int32Array; // caller's row index
  day: Int32Array;
  month: Int32Array; // year * 12 + month - 1
  dom: Int8Array; // day of month
  amount: Float64Array;
}

interface Fit {
  rule: FrequencyRule;
  score: number;
  coverage: number;
  /** Inlier positions in the cluster (ascending by day), one per slot. */
  inliers: number[];
  slots: number;
  /** Mean absolute residual of the inliers (days). */
  meanResidual: number;
  /** Slot index of the last inlier and the grid to extend it. */
  lastSlot: number;
  anchorDay: number;
  anchorMonth: number;
  typicalDay: number;
}

/**
 * Mines one group. `days` and `amounts` are the caller's columns; `rows` the indices of this group's
 * rows (any order). Amounts are minor units (integers, exact in a double up to 2^53).
 */
export function mineGroup(
  days: ArrayLike<number>,
  amounts: ArrayLike<number>,
  rows: ArrayLike<number>,
  asOfDay: number,
  options: MineOptions = {},
): MinedStream[] {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  if (rows.length < MIN_POINTS) return [];
  const out: MinedStream[] = [];
  for (const cluster of amountClusters(amounts, rows)) {
    let remaining = cluster;
    const found: Array<{ period: number; first: number; last: number }> = [];
    for (let guard = 0; guard < 8 && remaining.length >= MIN_POINTS; guard++) {
      const points = toPoints(days, amounts, remaining);
      const fit = bestFit(points);
      if (!fit) break;
      const stream = toStream(points, fit, asOfDay);
      const first = points.day[fit.inliers[0]];
      const last = points.day[fit.inliers[fit.inliers.length - 1]];
      // What a faster stream of the same amount left behind over the same months (its payments moved
      // too far by shifts) is that stream's noise, not a slower stream of its own.
      const echo = found.some(
        (f) =>
          f.period < fit.rule.period &&
          Math.min(f.last, last) - Math.max(f.first, first) > (last - first) / 2,
      );
      found.push({ period: fit.rule.period, first, last });
      if (stream && !echo && stream.confidence >= minConfidence) out.push(stream);
      const taken = new Set(fit.inliers.map((p) => points.idx[p]));
      remaining = remaining.filter((i) => !taken.has(i));
    }
  }
  return out;
}

/** Row indices split into clusters of similar amounts (each cluster at least MIN_POINTS rows). */
export function amountClusters(amounts: ArrayLike<number>, rows: ArrayLike<number>): number[][] {
  const sorted = Array.from(rows).sort((a, b) => amounts[a] - amounts[b]);
  const clusters: number[][] = [];
  let current: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const row = sorted[i];
    if (current.length && amounts[row] > amounts[current[current.length - 1]] * (1 + AMOUNT_GAP)) {
      if (current.length >= MIN_POINTS) clusters.push(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length >= MIN_POINTS) clusters.push(current);
  return clusters;
}

function toPoints(days: ArrayLike<number>, amounts: ArrayLike<number>, rows: number[]): Points {
  const sorted = rows.slice().sort((a, b) => days[a] - days[b] || a - b);
  const n = sorted.length;
  const p: Points = {
    n,
    idx: Int32Array.from(sorted),
    day: new Int32Array(n),
    month: new Int32Array(n),
    dom: new Int8Array(n),
    amount: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const d = days[sorted[i]];
    p.day[i] = d;
    p.amount[i] = amounts[sorted[i]];
    const { month, dom } = monthAndDay(d);
    p.month[i] = month;
    p.dom[i] = dom;
  }
  return p;
}

export function bestFit(points: Points): Fit | null {
  let best: Fit | null = null;
  typicalDayCache = 0;
  for (const rule of FREQUENCY_RULES) {
    if (points.n < rule.minOccurrences) continue;
    const fit = rule.days > 0 ? fitDays(points, rule) : fitMonths(points, rule);
    if (!fit) continue;
    if (!best || fit.score > best.score + 1e-9) best = fit;
  }
  return best;
}

/**
 * Anchors tried: the first three dates and the last (a one-off at the start cannot misalign the grid),
 * one per phase of the grid — anchors a whole number of periods apart lay the same grid.
 */
function anchorPositions(n: number, phaseOf: (position: number) => number): number[] {
  const out: number[] = [];
  const phases: number[] = [];
  for (const position of n > 3 ? [0, 1, 2, n - 1] : n > 2 ? [0, 1, 2] : [0, 1].slice(0, n)) {
    const phase = phaseOf(position);
    if (phases.includes(phase)) continue;
    phases.push(phase);
    out.push(position);
  }
  return out;
}

let typicalDayCache = 0;
// Scratch buffers reused across fits (the miner runs single-threaded).
let slotOf = new Float64Array(64);
let residualOf = new Float64Array(64);
function scratch(n: number): void {
  if (slotOf.length < n) {
    slotOf = new Float64Array(n * 2);
    residualOf = new Float64Array(n * 2);
  }
}

function fitDays(p: Points, rule: FrequencyRule): Fit | null {
  scratch(p.n);
  const period = rule.days;
  const reach = rule.tolerance + 1;
  const histogram = new Int32Array(2 * reach + 1);
  let best: Fit | null = null;
  for (const a of anchorPositions(p.n, (i) => (((p.day[i] - p.day[0]) % period) + period) % period)) {
    const anchor = p.day[a];
    // Residuals around the anchor's grid; the grid is then shifted by their median so that a jittered
    // anchor does not push the others out of tolerance (residuals are whole days: a histogram median).
    histogram.fill(0);
    let near = 0;
    for (let i = 0; i < p.n; i++) {
      const k = Math.round((p.day[i] - anchor) / period);
      slotOf[i] = k;
      const r = p.day[i] - anchor - k * period;
      residualOf[i] = r;
      if (r >= -reach && r <= reach) {
        histogram[r + reach]++;
        near++;
      }
    }
    const shift = near ? histogramMedian(histogram, near) - reach : 0;
    const fit = collect(p, rule, (i) => residualOf[i] - shift);
    if (fit) {
      fit.anchorDay = anchor + shift;
      if (!best || fit.score > best.score) best = fit;
    }
  }
  return best;
}

function fitMonths(p: Points, rule: FrequencyRule): Fit | null {
  scratch(p.n);
  const step = rule.months;
  // The same for every month grid of these points (the monthly tolerance decides).
  typicalDayCache ||= typicalDayOfMonth(p, FREQUENCY_RULES[3].tolerance);
  const typicalDay = typicalDayCache;
  let best: Fit | null = null;
  for (const a of anchorPositions(p.n, (i) => (((p.month[i] - p.month[0]) % step) + step) % step)) {
    const anchorMonth = p.month[a];
    for (let i = 0; i < p.n; i++) {
      // The slot whose nominal date is nearest: a payment due on the 1st and moved back to Friday the
      // 30th belongs to the next month's slot, one due on the 31st and moved to Monday the 2nd to the
      // previous month's.
      const k0 = Math.floor((p.month[i] - anchorMonth) / step);
      let bestK = k0;
      let bestR = Infinity;
      for (let k = k0 - 1; k <= k0 + 1; k++) {
        const r = p.day[i] - monthlyDay(anchorMonth + k * step, typicalDay);
        if (Math.abs(r) < Math.abs(bestR)) {
          bestR = r;
          bestK = k;
        }
      }
      slotOf[i] = bestK;
      residualOf[i] = bestR;
    }
    const fit = collect(p, rule, (i) => residualOf[i]);
    if (fit) {
      fit.anchorMonth = anchorMonth;
      fit.typicalDay = typicalDay;
      if (!best || fit.score > best.score) best = fit;
    }
  }
  return best;
}

/** Inliers of the current slot/residual assignment, one per slot (the closest), and the fit's score. */
function collect(p: Points, rule: FrequencyRule, residual: (i: number) => number): Fit | null {
  const inliers: number[] = [];
  let residualSum = 0;
  for (let i = 0; i < p.n; i++) {
    const r = Math.abs(residual(i));
    if (r > rule.tolerance) continue;
    const last = inliers.length ? inliers[inliers.length - 1] : -1;
    if (last >= 0 && slotOf[last] === slotOf[i]) {
      // Same slot twice (points are by date, so the duplicate follows): keep the closer one.
      const lastR = Math.abs(residual(last));
      if (r < lastR) {
        residualSum += r - lastR;
        inliers[inliers.length - 1] = i;
      }
      continue;
    }
    inliers.push(i);
    residualSum += r;
  }
  const run = longestRun(inliers, rule.maxMissedInARow);
  if (run.length < rule.minOccurrences) return null;
  if (run.length < inliers.length) {
    residualSum = 0;
    for (const i of run) residualSum += Math.abs(residual(i));
  }
  const slots = slotOf[run[run.length - 1]] - slotOf[run[0]] + 1;
  const coverage = run.length / slots;
  if (coverage < MIN_COVERAGE) return null;
  return {
    rule,
    score: coverage * (run.length / p.n),
    coverage,
    inliers: run,
    slots,
    meanResidual: residualSum / run.length,
    lastSlot: slotOf[run[run.length - 1]],
    anchorDay: 0,
    anchorMonth: 0,
    typicalDay: 0,
  };
}

/**
 * The inliers split where more than `maxMissed` slots in a row are empty; the run with the most (the
 * latest on a tie). A one-off that happens to sit on the grid a year before the stream began is not
 * part of it.
 */
function longestRun(inliers: number[], maxMissed: number): number[] {
  let bestStart = 0;
  let bestEnd = 0;
  let start = 0;
  for (let j = 1; j <= inliers.length; j++) {
    if (j === inliers.length || slotOf[inliers[j]] - slotOf[inliers[j - 1]] > maxMissed + 1) {
      if (j - start >= bestEnd - bestStart) {
        bestStart = start;
        bestEnd = j;
      }
      start = j;
    }
  }
  return bestStart === 0 && bestEnd === inliers.length ? inliers : inliers.slice(bestStart, bestEnd);
}

function toStream(p: Points, fit: Fit, asOfDay: number): MinedStream | null {
  const { rule, inliers } = fit;
  const first = inliers[0];
  const last = inliers[inliers.length - 1];
  const lastDay = p.day[last];
  if ((asOfDay - lastDay) / rule.period > STALE_PERIODS) return null;

  let sum = 0n;
  let mean = 0;
  for (const i of inliers) {
    sum += BigInt(p.amount[i]);
    mean += p.amount[i];
  }
  const n = inliers.length;
  mean /= n;
  let variance = 0;
  for (const i of inliers) variance += (p.amount[i] - mean) ** 2;
  const cv = mean > 0 ? Math.sqrt(variance / n) / mean : 1;

  const nominal = (k: number) =>
    rule.days > 0
      ? fit.anchorDay + k * rule.days
      : monthlyDay(fit.anchorMonth + k * rule.months, fit.typicalDay);
  let k = fit.lastSlot + 1;
  while (nominal(k) + rule.tolerance < asOfDay || nominal(k) <= lastDay) k++;
  let nextDay = nominal(k);

  let dayOfWeek: number | null = null;
  if (rule.frequency === 'weekly' || rule.frequency === 'biweekly') {
    dayOfWeek = typicalWeekday(p, inliers);
    // The grid may sit a day off the weekday most payments fell on (shifts): predict on that weekday.
    const delta = (((dayOfWeek - weekday(nextDay)) % 7) + 7) % 7;
    nextDay += delta > 3 ? delta - 7 : delta;
    if (nextDay <= lastDay) nextDay += rule.days;
  }

  const dateScore = rule.tolerance > 0 ? 1 - fit.meanResidual / (rule.tolerance + 1) : 1;
  const amountScore = Math.max(0, 1 - cv / 0.2);
  const purity = n / p.n;
  const lengthScore = 1 - Math.exp(-(n - 1) / 4);
  const periodsSince = (asOfDay - lastDay) / rule.period;
  const recency = periodsSince <= 1.5 ? 1 : 0.8;
  const regularity = 0.35 * dateScore + 0.25 * amountScore + 0.25 * fit.coverage + 0.15 * purity;
  const confidence = Math.round(regularity * (0.5 + 0.5 * lengthScore) * recency * 1000) / 1000;

  return {
    frequency: rule.frequency,
    dayOfMonth: rule.months > 0 ? fit.typicalDay : null,
    dayOfWeek,
    members: inliers.map((i) => p.idx[i]),
    occurrences: n,
    firstDay: p.day[first],
    lastDay,
    nextDay,
    averageMinor: divideHalfUp(sum, BigInt(n)),
    lastMinor: BigInt(p.amount[last]),
    missed: fit.slots - n,
    confidence: Math.min(1, Math.max(0, confidence)),
  };
}

/**
 * The day of month that explains most dates: for each day seen, how many dates lie within `tolerance`
 * of it (around the month's turn too: the 31st is 2 days from the 2nd), fewest residual days on a tie,
 * then the later day. A day past the 28th also explains month ends (a 31st stream pays on the 30th in
 * 30-day months). The histogram of days ranks the candidates; the best six are measured on the dates.
 */
function typicalDayOfMonth(p: Points, tolerance: number): number {
  const counts = new Int32Array(32);
  const monthEnds = new Int32Array(32); // dates that are the last day of their month, by day
  for (let i = 0; i < p.n; i++) {
    counts[p.dom[i]]++;
    if (p.dom[i] >= 28 && p.dom[i] === lastDayOfMonth(p.month[i])) monthEnds[p.dom[i]]++;
  }
  // A first pass on the histogram (approximate around month ends) keeps the six best days …
  const ranked: Array<{ d: number; count: number; residual: number }> = [];
  for (let d = 1; d <= 31; d++) {
    if (!counts[d]) continue;
    let count = 0;
    let residual = 0;
    for (let v = 1; v <= 31; v++) {
      if (!counts[v]) continue;
      // A month end before the target day is the target (clamped): distance 0.
      const clampedHits = d > v ? monthEnds[v] : 0;
      const others = counts[v] - clampedHits;
      count += clampedHits;
      const diff = Math.abs(v - d);
      const r = Math.min(diff, 31 - diff);
      if (r <= tolerance) {
        count += others;
        residual += r * others;
      }
    }
    ranked.push({ d, count, residual });
  }
  ranked.sort((x, y) => y.count - x.count || x.residual - y.residual || y.d - x.d);
  // … which are then measured exactly on the dates (the 1st paid on Friday the 30th is not the 31st).
  let best = ranked.length ? ranked[0].d : 1;
  let bestCount = -1;
  let bestResidual = Infinity;
  for (const { d } of ranked.slice(0, 6)) {
    let count = 0;
    let residual = 0;
    for (let i = 0; i < p.n; i++) {
      const r = nearestMonthly(p.day[i], p.month[i], d);
      if (r <= tolerance) {
        count++;
        residual += r;
      }
    }
    if (count > bestCount || (count === bestCount && residual < bestResidual)) {
      best = d;
      bestCount = count;
      bestResidual = residual;
    }
  }
  return best;
}

/** Days from `day` to the nearest `targetDay` of its month or the months around it. */
function nearestMonthly(day: number, month: number, targetDay: number): number {
  let best = Infinity;
  for (let m = month - 1; m <= month + 1; m++)
    best = Math.min(best, Math.abs(day - monthlyDay(m, targetDay)));
  return best;
}

function lastDayOfMonth(monthIndex: number): number {
  return monthlyDay(monthIndex, 31) - monthlyDay(monthIndex, 1) + 1;
}

function typicalWeekday(p: Points, inliers: number[]): number {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const i of inliers) counts[weekday(p.day[i])]++;
  let best = 0;
  for (let d = 1; d < 7; d++) if (counts[d] > counts[best]) best = d;
  return best;
}

/** First epoch day and length of every month from 1900 to 2199: monthlyDay is two array reads. */
const TABLE_FIRST_MONTH = 1900 * 12;
const TABLE_MONTHS = 300 * 12;
const MONTH_START = new Int32Array(TABLE_MONTHS);
const MONTH_LENGTH = new Int8Array(TABLE_MONTHS);
for (let i = 0; i < TABLE_MONTHS; i++) {
  const monthIndex = TABLE_FIRST_MONTH + i;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  MONTH_START[i] = daysFromCivil(year, month, 1);
  MONTH_LENGTH[i] = daysInMonth(year, month);
}

/** Epoch day of `targetDay` in month `monthIndex` (year * 12 + month - 1), clamped to the month's end. */
export function monthlyDay(monthIndex: number, targetDay: number): number {
  const i = monthIndex - TABLE_FIRST_MONTH;
  if (i >= 0 && i < TABLE_MONTHS) {
    const length = MONTH_LENGTH[i];
    return MONTH_START[i] + (targetDay < length ? targetDay : length) - 1;
  }
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return daysFromCivil(year, month, Math.min(targetDay, daysInMonth(year, month)));
}

/** Month index (year * 12 + month - 1) and day of month of an epoch day (civil_from_days). */
export function monthAndDay(epochDay: number): { month: number; dom: number } {
  const z = epochDay + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0;
  const doy = doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0));
  const mp = ((5 * doy + 2) / 153) | 0;
  const dom = doy - (((153 * mp + 2) / 5) | 0) + 1;
  return { month: (yoe + era * 400) * 12 + mp + 2, dom };
}

/** The (lower) median bin of a histogram holding `total` values. */
function histogramMedian(histogram: Int32Array, total: number): number {
  const half = (total + 1) >> 1;
  let seen = 0;
  for (let b = 0; b < histogram.length; b++) {
    seen += histogram[b];
    if (seen >= half) return b;
  }
  return 0;
}

function divideHalfUp(n: bigint, d: bigint): bigint {
  return (n * 2n + d) / (2n * d);
}
