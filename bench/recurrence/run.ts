/**
 * Recurrence engine vs rrule: the next 24 occurrences of a million seeded templates, timed for both,
 * every date checked equal. Exits non-zero on the first mismatch or when the engine is under 10x faster.
 *
 *   npm run bench:recurrence -- [--templates N] [--rrule-sample N] [--seed N]
 */
import * as os from 'os';
import { datetime, RRule, type Options, type Weekday } from 'rrule';
import {
  civilFromDays,
  compileSchedule,
  daysFromCivil,
  daysInMonth,
  formatDate,
  FREQUENCIES,
  occurrences,
  parseDate,
  type Frequency,
  type Schedule,
  weekday,
  type ScheduleRule,
} from '@billing/recurrence';

const OCCURRENCES = 24;
const REQUIRED_SPEEDUP = 10;
const ENGINE_REPEATS = 5;
const DAY_MS = 86_400_000;

interface Args {
  templates: number;
  rruleSample: number;
  seed: number;
}

function parseArgs(argv: readonly string[]): Args {
  const values = new Map<string, number>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = Number(argv[i + 1]);
    if (
      !['--templates', '--rrule-sample', '--seed'].includes(name) ||
      !Number.isSafeInteger(value) ||
      value < 1
    ) {
      throw new Error(`usage: run.js [--templates N] [--rrule-sample N] [--seed N] (got ${argv.join(' ')})`);
    }
    values.set(name, value);
  }
  const templates = values.get('--templates') ?? 1_000_000;
  return {
    templates,
    rruleSample: Math.min(values.get('--rrule-sample') ?? templates, templates),
    seed: values.get('--seed') ?? 20261121,
  };
}

/** mulberry32: small, fast and deterministic for a given seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Mix {
  byFrequency: Record<Frequency, number>;
  monthEndTarget: number;
  feb29Start: number;
}

/**
 * Uniform over the six frequencies; starts in 2000..2099 with month ends and Feb 29 over-represented;
 * explicit targeting on half the templates, for month-based ones 3 in 5 of those on the 29th..31st.
 */
function generateTemplates(count: number, seed: number): { rules: ScheduleRule[]; mix: Mix } {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const first = parseDate('2000-01-01');
  const last = parseDate('2099-12-31');
  const mix: Mix = {
    byFrequency: { daily: 0, weekly: 0, biweekly: 0, monthly: 0, quarterly: 0, annually: 0 },
    monthEndTarget: 0,
    feb29Start: 0,
  };
  const rules: ScheduleRule[] = new Array<ScheduleRule>(count);
  for (let i = 0; i < count; i++) {
    const frequency = FREQUENCIES[int(0, FREQUENCIES.length - 1)];
    const shape = random();
    let startDate: string;
    if (shape < 0.05) {
      startDate = `${2000 + 4 * int(0, 24)}-02-29`;
    } else if (shape < 0.25) {
      // One of the last four days of a month.
      const year = int(2000, 2099);
      const month = int(1, 12);
      startDate = formatDate(daysFromCivil(year, month, daysInMonth(year, month) - int(0, 3)));
    } else {
      startDate = formatDate(int(first, last));
    }
    if (startDate.endsWith('-02-29')) mix.feb29Start++;
    mix.byFrequency[frequency]++;

    const rule: ScheduleRule = { frequency, startDate };
    const targeting = random();
    if (frequency === 'weekly' || frequency === 'biweekly') {
      if (targeting < 0.5) rule.dayOfWeek = int(0, 6);
    } else if (frequency !== 'daily') {
      if (targeting < 0.2) rule.dayOfMonth = int(1, 28);
      else if (targeting < 0.5) rule.dayOfMonth = int(29, 31);
      if ((rule.dayOfMonth ?? Number(startDate.slice(8))) >= 29) mix.monthEndTarget++;
    }
    rules[i] = rule;
  }
  return { rules, mix };
}

const WEEKDAYS: readonly Weekday[] = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];
const MONTH_END_DAYS = [29, 30, 31].map((d) => Array.from({ length: d - 27 }, (_, i) => 28 + i));

/** What rrule needs, taken from the compiled schedule outside the timed loop. */
interface RruleInput {
  year: number;
  month: number;
  day: number;
  frequency: Frequency;
  stepMonths: number;
  targetDay: number;
  weekday: number;
}

function rruleInput(schedule: Schedule): RruleInput {
  const { year, month, day } = civilFromDays(schedule.anchorDay);
  return {
    year,
    month,
    day,
    frequency: schedule.frequency,
    stepMonths: schedule.stepMonths,
    targetDay: schedule.targetDay,
    weekday: weekday(schedule.anchorDay),
  };
}

/** The RRULE equivalent to a schedule, DTSTART on its anchor (first occurrence), all in UTC. */
function rruleOptions(input: RruleInput): Partial<Options> {
  const dtstart = datetime(input.year, input.month, input.day);
  switch (input.frequency) {
    case 'daily':
      return { freq: RRule.DAILY, dtstart };
    case 'weekly':
      return { freq: RRule.WEEKLY, byweekday: [WEEKDAYS[input.weekday]], dtstart };
    case 'biweekly':
      return { freq: RRule.WEEKLY, interval: 2, byweekday: [WEEKDAYS[input.weekday]], dtstart };
    case 'monthly':
    case 'quarterly':
    case 'annually':
      return input.targetDay <= 28
        ? { freq: RRule.MONTHLY, interval: input.stepMonths, bymonthday: [input.targetDay], dtstart }
        : {
            freq: RRule.MONTHLY,
            interval: input.stepMonths,
            bymonthday: MONTH_END_DAYS[input.targetDay - 29],
            bysetpos: [-1],
            dtstart,
          };
  }
}

function engineCompileAndOccurrences(rules: readonly ScheduleRule[], out: Int32Array): void {
  const scratch = new Int32Array(OCCURRENCES);
  for (let i = 0, base = 0; i < rules.length; i++, base += OCCURRENCES) {
    occurrences(compileSchedule(rules[i]), 0, OCCURRENCES, scratch);
    for (let j = 0; j < OCCURRENCES; j++) out[base + j] = scratch[j];
  }
}

function engineOccurrencesOnly(schedules: readonly Schedule[], out: Int32Array): void {
  const scratch = new Int32Array(OCCURRENCES);
  for (let i = 0, base = 0; i < schedules.length; i++, base += OCCURRENCES) {
    occurrences(schedules[i], 0, OCCURRENCES, scratch);
    for (let j = 0; j < OCCURRENCES; j++) out[base + j] = scratch[j];
  }
}

/** The service's path: compile, 24 occurrences, each written as YYYY-MM-DD. Returns a sink to keep it live. */
function engineWithStrings(rules: readonly ScheduleRule[]): number {
  const scratch = new Int32Array(OCCURRENCES);
  let sink = 0;
  for (let i = 0; i < rules.length; i++) {
    occurrences(compileSchedule(rules[i]), 0, OCCURRENCES, scratch);
    for (let j = 0; j < OCCURRENCES; j++) sink += formatDate(scratch[j]).charCodeAt(9);
  }
  return sink;
}

function rrule(inputs: readonly RruleInput[], count: number, out: Int32Array): void {
  for (let i = 0, base = 0; i < count; i++, base += OCCURRENCES) {
    const dates = new RRule(rruleOptions(inputs[i]), true).all((_, n) => n < OCCURRENCES);
    if (dates.length !== OCCURRENCES) throw new Error(`rrule gave ${dates.length} dates for template ${i}`);
    for (let j = 0; j < OCCURRENCES; j++) out[base + j] = Math.floor(dates[j].getTime() / DAY_MS);
  }
}

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** The engine passes take well under a second each, so take the median of a few against noise. */
function medianSeconds(run: () => void): number {
  const times = Array.from({ length: ENGINE_REPEATS }, () => seconds(run)).sort((a, b) => a - b);
  return times[ENGINE_REPEATS >> 1];
}

const number = (n: number) => Math.round(n).toLocaleString('en-US');

function rateLine(label: string, templates: number, secs: number): string {
  return (
    `${label.padEnd(44)} ${secs.toFixed(3).padStart(9)} s  ` +
    `${number((templates * OCCURRENCES) / secs).padStart(13)} occurrences/s  ` +
    `${number(templates / secs).padStart(11)} templates/s`
  );
}

function mismatch(
  rules: readonly ScheduleRule[],
  i: number,
  what: string,
  theirs: number,
  engine: number,
): never {
  const t = Math.floor(i / OCCURRENCES);
  console.error(
    `MISMATCH template ${t} ${JSON.stringify(rules[t])} occurrence ${i % OCCURRENCES}: ` +
      `engine ${formatDate(engine)}, ${what} ${formatDate(theirs)}`,
  );
  process.exit(1);
}

function main(): void {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const cpus = os.cpus();
  console.log(
    `recurrence bench: ${number(args.templates)} templates x ${OCCURRENCES} occurrences, ` +
      `rrule on ${number(args.rruleSample)} of them, seed ${args.seed}`,
  );
  console.log(
    `${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? '?'})`,
  );

  const { rules, mix } = generateTemplates(args.templates, args.seed);
  const schedules = rules.map(compileSchedule);
  const inputs = schedules.slice(0, args.rruleSample).map(rruleInput);
  console.log(
    `mix: ${FREQUENCIES.map((f) => `${f} ${number(mix.byFrequency[f])}`).join(', ')}; ` +
      `day of month 29-31 ${number(mix.monthEndTarget)}, Feb 29 starts ${number(mix.feb29Start)}`,
  );

  const engineOut = new Int32Array(args.templates * OCCURRENCES);
  const precompiledOut = new Int32Array(args.templates * OCCURRENCES);
  const rruleOut = new Int32Array(args.rruleSample * OCCURRENCES);
  // Warm both up so the timings are of optimised code.
  const warm = Math.min(20_000, args.templates);
  engineCompileAndOccurrences(rules.slice(0, warm), engineOut);
  engineOccurrencesOnly(schedules.slice(0, warm), precompiledOut);
  engineWithStrings(rules.slice(0, warm));
  rrule(inputs, Math.min(2_000, args.rruleSample), rruleOut);

  const engineSecs = medianSeconds(() => engineCompileAndOccurrences(rules, engineOut));
  const engineOnlySecs = medianSeconds(() => engineOccurrencesOnly(schedules, precompiledOut));
  let sink = 0;
  const engineStringSecs = medianSeconds(() => (sink = engineWithStrings(rules)));
  const rruleSecs = seconds(() => rrule(inputs, args.rruleSample, rruleOut));
  if (sink === 0) console.log('(sink)');

  console.log(rateLine('engine: compile + 24 occurrences', args.templates, engineSecs));
  console.log(rateLine('engine: 24 occurrences, precompiled', args.templates, engineOnlySecs));
  console.log(rateLine('engine: compile + 24 occurrences as YYYY-MM-DD', args.templates, engineStringSecs));
  console.log(rateLine('rrule:  new RRule + all(first 24)', args.rruleSample, rruleSecs));

  for (let i = 0; i < engineOut.length; i++) {
    if (precompiledOut[i] !== engineOut[i]) {
      mismatch(rules, i, 'precompiled', precompiledOut[i], engineOut[i]);
    }
  }
  for (let i = 0; i < rruleOut.length; i++) {
    if (rruleOut[i] !== engineOut[i]) mismatch(rules, i, 'rrule', rruleOut[i], engineOut[i]);
  }
  console.log(`verified: ${number(rruleOut.length)} dates identical (${number(args.rruleSample)} templates)`);

  // Rates per template, so a sampled rrule run compares like with like.
  const rruleRate = args.rruleSample / rruleSecs;
  const speedup = args.templates / engineSecs / rruleRate;
  const stringSpeedup = args.templates / engineStringSecs / rruleRate;
  const ok = speedup >= REQUIRED_SPEEDUP;
  console.log(
    `speed-up over rrule: ${speedup.toFixed(1)}x (epoch days), ${stringSpeedup.toFixed(1)}x (YYYY-MM-DD); ` +
      `required >= ${REQUIRED_SPEEDUP}x: ${ok ? 'OK' : 'FAIL'}`,
  );
  if (!ok) process.exit(1);
}

main();
