import { Injectable } from '@nestjs/common';
import {
  type EventContract,
  type Page,
  type TemplateClone,
  type TemplateCreate,
  TemplateEvents,
  type TemplateEventSchema,
  type TemplateListQuery,
  type TemplatePatch,
  type TemplatePreview,
  type TemplateView,
  type TenantContext,
} from '@billing/contracts';
import { ClockService, ProblemError, type Tx, UnitOfWork, formatAmount, uuidv7 } from '@billing/common';
import { addDays, occurrenceDate } from '@billing/recurrence';
import { CounterpartyDirectory } from './counterparty.directory';
import {
  SCHEDULE_FIELDS,
  type TemplateCandidate,
  applyPatch,
  candidateFromClone,
  candidateFromCreate,
  candidateOf,
  changedFields,
  counterpartyField,
  definitionOf,
} from './template.candidate';
import {
  type Template,
  type TemplateStatus,
  type TemplateType,
  amountsOf,
  mapTemplate,
} from './template.model';
import { TemplateRepository } from './template.repository';
import { type RuleContext, validateTemplate } from './template.rules';
import {
  indexAfterUpdate,
  positionAt,
  resumeIndex,
  scheduleOf,
  upcomingOccurrences,
} from './template.schedule';

type LifecycleEvent = EventContract<typeof TemplateEventSchema>;

/**
 * Recurring templates: the rules of SPEC section 2 and the lifecycle. Every change locks the row,
 * writes it and stores its event in one transaction (the outbox publishes it after the commit).
 */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly templates: TemplateRepository,
    private readonly uow: UnitOfWork,
    private readonly clock: ClockService,
    private readonly counterparties: CounterpartyDirectory,
  ) {}

  async create(tenant: TenantContext, input: TemplateCreate): Promise<TemplateView> {
    const today = await this.today(tenant);
    const partyId = input[counterpartyField(input.type)];
    const party = partyId ? await this.counterparties.find(tenant, input.type, partyId) : undefined;
    const candidate = candidateFromCreate(input, {
      today,
      currency: party?.currency ?? tenant.base_currency,
    });
    return this.insertNew(tenant, candidate, {
      today,
      counterpartyFound: party === undefined ? undefined : party !== null,
    });
  }

  /** A fresh copy: nothing generated, active, starting today unless told otherwise; fully validated. */
  async clone(tenant: TenantContext, id: string, overrides: TemplateClone): Promise<TemplateView> {
    const source = await this.load(tenant, id);
    const today = await this.today(tenant);
    const candidate = candidateFromClone(candidateOf(source), overrides, today);
    const partyId = candidate[counterpartyField(candidate.type)];
    const found = partyId ? await this.exists(tenant, candidate.type, partyId) : undefined;
    return this.insertNew(tenant, candidate, { today, counterpartyFound: found });
  }

  async get(tenant: TenantContext, id: string): Promise<TemplateView> {
    return mapTemplate(await this.load(tenant, id));
  }

  async list(tenant: TenantContext, q: TemplateListQuery): Promise<Page<TemplateView>> {
    const page = await this.templates.list(
      tenant.id,
      { type: q.type, status: q.status, customerId: q.customer_id, vendorId: q.vendor_id },
      q.limit,
      q.cursor,
    );
    return { data: page.data.map(mapTemplate), next_cursor: page.next_cursor };
  }

  /**
   * Changes apply to occurrences not yet generated. A change of frequency, start date or day targeting
   * re-anchors the schedule: the next occurrence is the new schedule's first on or after
   * max(today, the day after the last generated one).
   */
  async update(tenant: TenantContext, id: string, patch: TemplatePatch): Promise<TemplateView> {
    const current = await this.load(tenant, id);
    assertStatus(current, ['active', 'paused'], 'be changed');
    const today = await this.today(tenant);
    const field = counterpartyField(current.type);
    const partyId = patch[field];
    const found =
      partyId && partyId !== candidateOf(current)[field]
        ? await this.exists(tenant, current.type, partyId)
        : undefined;

    return this.withLocked(tenant, id, async (locked, tx) => {
      assertStatus(locked, ['active', 'paused'], 'be changed');
      const stored = candidateOf(locked);
      const candidate = applyPatch(stored, patch);
      const changed = changedFields(stored, candidate);
      if (changed.size === 0) return mapTemplate(locked);
      throwIfInvalid(
        validateTemplate(candidate, {
          today,
          changed,
          progress: locked,
          counterpartyFound: changed.has(field) ? found : undefined,
        }),
      );
      const definition = definitionOf(candidate);
      const schedule = scheduleOf(definition);
      const scheduleChanged = SCHEDULE_FIELDS.some((f) => changed.has(f));
      const position = positionAt(schedule, indexAfterUpdate(schedule, locked, scheduleChanged, today), {
        ...definition,
        generatedCount: locked.generatedCount,
      });
      const saved = await this.templates.update(tx.manager, {
        ...locked,
        ...definition,
        nextIndex: position.nextIndex,
        nextOccurrenceDate: locked.status === 'active' ? position.nextOccurrenceDate : null,
      });
      return this.emit(tx, tenant, TemplateEvents.updated, saved);
    });
  }

  /** Removes the template only; invoices it generated live in invoicing and stay. */
  async delete(tenant: TenantContext, id: string): Promise<{ id: string; deleted: true }> {
    return this.withLocked(tenant, id, async (locked, tx) => {
      await this.templates.delete(tx.manager, tenant.id, id);
      this.emit(tx, tenant, TemplateEvents.deleted, locked);
      return { id, deleted: true as const };
    });
  }

  async pause(tenant: TenantContext, id: string): Promise<TemplateView> {
    return this.withLocked(tenant, id, async (locked, tx) => {
      assertStatus(locked, ['active'], 'be paused');
      const saved = await this.templates.update(tx.manager, {
        ...locked,
        status: 'paused',
        nextOccurrenceDate: null,
      });
      return this.emit(tx, tenant, TemplateEvents.paused, saved);
    });
  }

  /** Back to active at the first scheduled date on or after today; what fell in the pause is skipped
   * for good. When nothing remains (end date passed, count reached) the template completes instead. */
  async resume(tenant: TenantContext, id: string): Promise<TemplateView> {
    const today = await this.today(tenant);
    return this.withLocked(tenant, id, async (locked, tx) => {
      assertStatus(locked, ['paused'], 'be resumed');
      const schedule = scheduleOf(locked);
      const position = positionAt(schedule, resumeIndex(schedule, locked.nextIndex, today), locked);
      const saved = await this.templates.update(tx.manager, {
        ...locked,
        status: position.completed ? 'completed' : 'active',
        nextIndex: position.nextIndex,
        nextOccurrenceDate: position.nextOccurrenceDate,
      });
      return this.emit(
        tx,
        tenant,
        position.completed ? TemplateEvents.completed : TemplateEvents.resumed,
        saved,
      );
    });
  }

  /** Advances one occurrence without generating it; it does not count toward max_occurrences. */
  async skipNext(tenant: TenantContext, id: string): Promise<TemplateView> {
    return this.withLocked(tenant, id, async (locked, tx) => {
      assertStatus(locked, ['active'], 'skip their next occurrence');
      const schedule = scheduleOf(locked);
      const skippedDate = occurrenceDate(schedule, locked.nextIndex);
      const position = positionAt(schedule, locked.nextIndex + 1, locked);
      const saved = await this.templates.update(tx.manager, {
        ...locked,
        status: position.completed ? 'completed' : 'active',
        nextIndex: position.nextIndex,
        nextOccurrenceDate: position.nextOccurrenceDate,
        skippedCount: locked.skippedCount + 1,
      });
      const view = mapTemplate(saved);
      tx.publish(TemplateEvents.skipped, tenant.id, { template: view, skipped_date: skippedDate });
      if (position.completed) tx.publish(TemplateEvents.completed, tenant.id, { template: view });
      return view;
    });
  }

  /** Permanent. A completed template has already ended and stays completed. */
  async cancel(tenant: TenantContext, id: string): Promise<TemplateView> {
    return this.withLocked(tenant, id, async (locked, tx) => {
      assertStatus(locked, ['active', 'paused'], 'be cancelled');
      const saved = await this.templates.update(tx.manager, {
        ...locked,
        status: 'cancelled',
        nextOccurrenceDate: null,
      });
      return this.emit(tx, tenant, TemplateEvents.cancelled, saved);
    });
  }

  /** The next `count` occurrences; a paused template shows what resuming today would give. */
  async preview(tenant: TenantContext, id: string, count: number): Promise<TemplatePreview> {
    const t = await this.load(tenant, id);
    const from = await this.previewStart(tenant, t);
    const amounts = amountsOf(t);
    const occurrences =
      from === null
        ? []
        : upcomingOccurrences(scheduleOf(t), from, count, t).map((o) => ({
            sequence: o.sequence,
            issue_date: o.date,
            due_date: addDays(o.date, t.daysUntilDue),
            currency: t.currency,
            subtotal: formatAmount(amounts.subtotalMinor),
            tax: formatAmount(amounts.taxMinor),
            total: formatAmount(amounts.totalMinor),
          }));
    return { template_id: t.id, status: t.status, occurrences };
  }

  private async previewStart(tenant: TenantContext, t: Template): Promise<number | null> {
    switch (t.status) {
      case 'active':
        return t.nextIndex;
      case 'paused':
        return resumeIndex(scheduleOf(t), t.nextIndex, await this.today(tenant));
      case 'completed':
      case 'cancelled':
        return null;
    }
  }

  private async insertNew(
    tenant: TenantContext,
    candidate: TemplateCandidate,
    ctx: RuleContext,
  ): Promise<TemplateView> {
    throwIfInvalid(validateTemplate(candidate, ctx));
    const definition = definitionOf(candidate);
    const first = positionAt(scheduleOf(definition), 0, { ...definition, generatedCount: 0 });
    return this.uow.run(async (tx) => {
      const created = await this.templates.insert(tx.manager, {
        ...definition,
        id: uuidv7(),
        tenantId: tenant.id,
        status: 'active',
        nextIndex: first.nextIndex,
        nextOccurrenceDate: first.nextOccurrenceDate,
        generatedCount: 0,
        skippedCount: 0,
        lastGeneratedDate: null,
      });
      return this.emit(tx, tenant, TemplateEvents.created, created);
    });
  }

  private async withLocked<T>(
    tenant: TenantContext,
    id: string,
    work: (locked: Template, tx: Tx) => Promise<T>,
  ): Promise<T> {
    return this.uow.run(async (tx) => {
      const locked = await this.templates.lockForUpdate(tx.manager, tenant.id, id);
      if (!locked) throw ProblemError.notFound('Template', id);
      return work(locked, tx);
    });
  }

  private async load(tenant: TenantContext, id: string): Promise<Template> {
    const t = await this.templates.find(tenant.id, id);
    if (!t) throw ProblemError.notFound('Template', id);
    return t;
  }

  private emit(tx: Tx, tenant: TenantContext, event: LifecycleEvent, t: Template): TemplateView {
    const view = mapTemplate(t);
    tx.publish(event, tenant.id, { template: view });
    return view;
  }

  private async exists(tenant: TenantContext, type: TemplateType, id: string): Promise<boolean> {
    return (await this.counterparties.find(tenant, type, id)) !== null;
  }

  private today(tenant: TenantContext): Promise<string> {
    return this.clock.today(tenant.timezone);
  }
}

function assertStatus(t: Template, allowed: readonly TemplateStatus[], action: string): void {
  if (!allowed.includes(t.status)) {
    throw ProblemError.invalidState(
      `Template ${t.id} is ${t.status}; only ${allowed.join(' or ')} templates can ${action}.`,
    );
  }
}

function throwIfInvalid(errors: ReturnType<typeof validateTemplate>): void {
  if (errors.length > 0) throw ProblemError.validation(errors);
}
