import { MAX_EPOCH_DAY, firstIndexOnOrAfter, parseDate, type Schedule } from '@billing/recurrence';
import type { ScheduleState, Template } from './template.model';
import { occurrenceOn, positionAt, scheduleOf } from './template.schedule';

/**
 * How generated documents move a template on, as a pure function. Each document counts once (the
 * consumer's inbox drops redelivered events) and every change is a max or a sum, so the order in which
 * documents are reported does not change where the template ends up.
 */

export interface GeneratedOccurrence {
  invoiceId: string;
  occurrenceDate: string;
  /** The occurrence's index when the scheduler published it; null for a document made otherwise. */
  occurrenceIndex: number | null;
}

export interface ProgressStep {
  occurrence: GeneratedOccurrence;
  /** The template's schedule state right after this document was counted. */
  state: ScheduleState;
}

export interface Progress {
  state: ScheduleState;
  steps: ProgressStep[];
  /** The template was active and these documents completed it. */
  completed: boolean;
}

/**
 * Counts each document (generated_count + 1, last_generated_date = the latest), moves `next_index`
 * past it (never backwards), and, while the template is active, recomputes the next occurrence or
 * completes it (count reached, or the next occurrence passes the end date). A paused, cancelled or
 * completed template counts the documents that were already on their way but keeps its status and has
 * no next occurrence. Steps follow the occurrence dates.
 */
/** What advancing reads of a template: its schedule, limits and state. */
export type ProgressFields = Pick<
  Template,
  'frequency' | 'startDate' | 'dayOfMonth' | 'dayOfWeek' | 'endDate' | 'maxOccurrences'
> &
  ScheduleState;

export function applyGenerated(t: ProgressFields, generated: GeneratedOccurrence[]): Progress {
  const schedule = scheduleOf(t);
  const ordered = [...generated].sort(
    (a, b) => a.occurrenceDate.localeCompare(b.occurrenceDate) || a.invoiceId.localeCompare(b.invoiceId),
  );
  let state: ScheduleState = {
    status: t.status,
    nextIndex: t.nextIndex,
    nextOccurrenceDate: t.nextOccurrenceDate,
    generatedCount: t.generatedCount,
    skippedCount: t.skippedCount,
    lastGeneratedDate: t.lastGeneratedDate,
  };
  const steps: ProgressStep[] = [];
  for (const occurrence of ordered) {
    const generatedCount = state.generatedCount + 1;
    const nextIndex = Math.max(state.nextIndex, indexAfter(schedule, occurrence));
    const lastGeneratedDate =
      state.lastGeneratedDate === null || occurrence.occurrenceDate > state.lastGeneratedDate
        ? occurrence.occurrenceDate
        : state.lastGeneratedDate;
    state = { ...state, generatedCount, nextIndex, lastGeneratedDate };
    if (state.status === 'active') {
      const position = positionAt(schedule, nextIndex, { ...t, generatedCount });
      state = {
        ...state,
        status: position.completed ? 'completed' : 'active',
        nextOccurrenceDate: position.nextOccurrenceDate,
      };
    }
    steps.push({ occurrence, state });
  }
  return { state, steps, completed: t.status === 'active' && state.status === 'completed' };
}

/**
 * The index after a generated occurrence: `index + 1` when that index is still the occurrence's date in
 * the template's schedule; otherwise (the schedule was changed while the document was on its way) the
 * first occurrence of the current schedule after that date, so no date on or before it comes again.
 */
export function indexAfter(s: Schedule, o: GeneratedOccurrence): number {
  if (o.occurrenceIndex !== null && occurrenceOn(s, o.occurrenceIndex) === o.occurrenceDate) {
    return o.occurrenceIndex + 1;
  }
  const day = parseDate(o.occurrenceDate);
  return day >= MAX_EPOCH_DAY ? s.lastIndex + 1 : firstIndexOnOrAfter(s, day + 1);
}
