import {
  type OccurrenceDocument,
  OccurrenceDocumentSchema,
  type OccurrenceDue,
  type RpcResponse,
  type TemplatesRpc,
  occurrenceKey,
} from '@billing/contracts';
import type { Outcome } from './run.model';

/**
 * The pure parts of a run: which occurrences of a page to claim, what each one's result is once the
 * claim is known, and the rule of `as_of`.
 */

export type DueItem = RpcResponse<typeof TemplatesRpc.due>['items'][number];

export interface WantedOccurrence {
  templateId: string;
  occurrenceDate: string;
  occurrenceIndex: number;
  /** The template's next occurrence once this one is generated (shown on the result). */
  next: string | null;
  document: OccurrenceDocument;
}

export interface ResultRow {
  templateId: string;
  occurrenceDate: string;
  outcome: Outcome;
  reason: string | null;
  /** The next occurrence a pending result expects; null otherwise. */
  next: string | null;
}

export interface PageWants {
  /** Occurrences to claim, once each. */
  wanted: WantedOccurrence[];
  /** Occurrences that cannot be published (their document breaks the contract): failed, not claimed. */
  broken: ResultRow[];
}

/** Flattens a page of the templates' answer; a template whose document breaks the contract fails. */
export function occurrencesOf(items: DueItem[]): PageWants {
  const wanted: WantedOccurrence[] = [];
  const broken: ResultRow[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const document = OccurrenceDocumentSchema.safeParse(item.document);
    for (const o of item.occurrences) {
      const key = occurrenceKey(item.template_id, o.occurrence_date);
      if (seen.has(key)) continue;
      seen.add(key);
      if (document.success) {
        wanted.push({
          templateId: item.template_id,
          occurrenceDate: o.occurrence_date,
          occurrenceIndex: o.occurrence_index,
          next: o.next_occurrence_date,
          document: document.data,
        });
      } else {
        broken.push({
          templateId: item.template_id,
          occurrenceDate: o.occurrence_date,
          outcome: 'failed',
          next: null,
          reason: `The template's document is invalid: ${document.error.issues
            .map((i) => `${i.path.join('.')} ${i.message}`)
            .join('; ')}`,
        });
      }
    }
  }
  return { wanted, broken };
}

export interface ClaimOutcome {
  results: ResultRow[];
  /** Newly claimed: one `occurrence.due` each. */
  due: WantedOccurrence[];
}

/** The reason a run shows for an occurrence another run claimed first. */
export const alreadyScheduled = (runId: string) => `already scheduled by run ${runId}`;

/**
 * After the claim: what this run claimed is `pending` and published; what another run had claimed is
 * `skipped` with that run's id; what this same run claimed in an earlier attempt already has its result.
 */
export function claimOutcome(
  runId: string,
  wanted: WantedOccurrence[],
  claimed: ReadonlySet<string>,
  claimedBy: ReadonlyMap<string, string>,
): ClaimOutcome {
  const results: ResultRow[] = [];
  const due: WantedOccurrence[] = [];
  for (const o of wanted) {
    const key = occurrenceKey(o.templateId, o.occurrenceDate);
    const base = { templateId: o.templateId, occurrenceDate: o.occurrenceDate };
    if (claimed.has(key)) {
      results.push({ ...base, outcome: 'pending', reason: null, next: o.next });
      due.push(o);
      continue;
    }
    const owner = claimedBy.get(key);
    if (owner === runId) continue;
    results.push({
      ...base,
      outcome: 'skipped',
      next: null,
      reason: owner ? alreadyScheduled(owner) : 'already scheduled',
    });
  }
  return { results, due };
}

/** The `occurrence.due` event of a claimed occurrence. */
export function dueEvent(runId: string, o: WantedOccurrence): OccurrenceDue {
  return {
    run_id: runId,
    template_id: o.templateId,
    occurrence_date: o.occurrenceDate,
    occurrence_index: o.occurrenceIndex,
    document: o.document,
  };
}

/**
 * A run covers what is due on or before `as_of`, never after the tenant's today (the contract has
 * already made it a calendar date).
 */
export function asOfProblem(asOf: string, today: string): string | null {
  if (asOf > today) return `must not be after today (${today})`;
  return null;
}
