import { normaliseCounterparty } from '../mining/counterparty';
import { type MinedStream, mineGroup } from '../mining/miner';
import { type History, activeStreams } from './history';

export interface Evaluation {
  /** Streams the miner proposed. */
  detected: number;
  truePositives: number;
  falsePositives: number;
  /** Active true streams (what should be found). */
  actual: number;
  precision: number;
  recall: number;
  /** Share of true positives whose frequency is the true one. */
  frequencyAccuracy: number;
  /** What went wrong, for tuning: a few false positives and misses. */
  falsePositiveSamples: Array<{ key: string; frequency: string; labels: string }>;
  missedSamples: Array<{ name: string; frequency: string; occurrences: number }>;
}

/** Groups a history by (normalised counterparty, direction, currency) and mines every group. */
export function mineHistory(history: History): Array<{ key: string; stream: MinedStream }> {
  const names = new Map<string, string>();
  const groups = new Map<string, number[]>();
  for (let i = 0; i < history.count; i++) {
    const raw = history.counterparties[i];
    let key = names.get(raw);
    if (key === undefined) {
      key = normaliseCounterparty(raw);
      names.set(raw, key);
    }
    const group = `${key}|${history.directions[i]}|${history.currencies[i]}`;
    let rows = groups.get(group);
    if (!rows) groups.set(group, (rows = []));
    rows.push(i);
  }
  const asOf = history.days[history.count - 1];
  const out: Array<{ key: string; stream: MinedStream }> = [];
  for (const [key, rows] of groups) {
    for (const stream of mineGroup(history.days, history.amountsMinor, rows, asOf)) out.push({ key, stream });
  }
  return out;
}

/**
 * Scores mined streams against the generator's labels: a proposed stream is a true positive when most
 * of its transactions belong to one active true stream not matched before; anything else (one-offs, an
 * ended stream, a second proposal for the same stream) is a false positive.
 */
export function evaluate(history: History, mined = mineHistory(history)): Evaluation {
  const truth = activeStreams(history);
  const byId = new Map(history.streams.map((s) => [s.id, s]));
  const matched = new Set<number>();
  let tp = 0;
  let frequencyRight = 0;
  const falsePositiveSamples: Evaluation['falsePositiveSamples'] = [];
  for (const { key, stream } of mined) {
    const counts = new Map<number, number>();
    for (const m of stream.members) counts.set(history.labels[m], (counts.get(history.labels[m]) ?? 0) + 1);
    let label = -99;
    let best = 0;
    for (const [l, c] of counts) {
      if (c > best) {
        best = c;
        label = l;
      }
    }
    const t = byId.get(label);
    if (t && !t.ended && best * 2 >= stream.members.length && !matched.has(label)) {
      matched.add(label);
      tp++;
      if (t.frequency === stream.frequency) frequencyRight++;
    } else if (falsePositiveSamples.length < 10) {
      falsePositiveSamples.push({
        key,
        frequency: `${stream.frequency} (${stream.occurrences}, conf ${stream.confidence})`,
        labels: [...counts].map(([l, c]) => `${l}:${c}`).join(' '),
      });
    }
  }
  const missedSamples = truth
    .filter((t) => !matched.has(t.id))
    .slice(0, 10)
    .map((t) => ({ name: t.name, frequency: t.frequency, occurrences: t.occurrences }));
  return {
    detected: mined.length,
    truePositives: tp,
    falsePositives: mined.length - tp,
    actual: truth.length,
    precision: mined.length ? tp / mined.length : 1,
    recall: truth.length ? matched.size / truth.length : 1,
    frequencyAccuracy: tp ? frequencyRight / tp : 1,
    falsePositiveSamples,
    missedSamples,
  };
}
