import { createHash } from 'crypto';
import { Injectable } from '@nestjs/common';
import {
  type Page,
  type PartyView,
  type SuggestionAccept,
  type SuggestionAccepted,
  SuggestionEvents,
  type SuggestionListQuery,
  type SuggestionView,
  TemplatesRpc,
  type TenantContext,
  suggestionCursor,
} from '@billing/contracts';
import {
  ClockService,
  ProblemError,
  RpcClient,
  UnitOfWork,
  isUuid,
  runInRequestScope,
} from '@billing/common';
import { checkTemplate, templateFor } from './accept.plan';
import { CounterpartyDirectory } from './counterparty.directory';
import { type SuggestionRow, mapSuggestion } from './suggestion.model';
import { SuggestionRepository } from './suggestion.repository';

/** The suggestions API: list, get, dismiss, and accept (a template through the templates app). */
@Injectable()
export class SuggestionsService {
  constructor(
    private readonly suggestions: SuggestionRepository,
    private readonly directory: CounterpartyDirectory,
    private readonly rpc: RpcClient,
    private readonly clock: ClockService,
    private readonly uow: UnitOfWork,
  ) {}

  async list(tenant: TenantContext, q: SuggestionListQuery): Promise<Page<SuggestionView>> {
    const rows = await this.suggestions.list(tenant.id, q);
    const data = rows.slice(0, q.limit);
    return {
      data: data.map(mapSuggestion),
      next_cursor: rows.length > q.limit && data.length ? suggestionCursor(data[data.length - 1]) : null,
    };
  }

  async get(tenant: TenantContext, id: string): Promise<SuggestionView> {
    return mapSuggestion(await this.load(tenant, id));
  }

  dismiss(tenant: TenantContext, id: string): Promise<SuggestionView> {
    return this.uow.run(async (tx) => {
      const row = await this.suggestions.markDismissed(tx.manager, tenant.id, id);
      if (!row) {
        const current = await this.load(tenant, id);
        if (current.status === 'dismissed') return mapSuggestion(current);
        throw ProblemError.invalidState(
          `Suggestion ${id} is ${current.status}; only an open suggestion can be dismissed.`,
        );
      }
      const view = mapSuggestion(row);
      tx.publish(SuggestionEvents.dismissed, tenant.id, { suggestion: view });
      return view;
    });
  }

  /**
   * Accept: find or create the customer / vendor, create the template, mark the suggestion accepted.
   * The two creations carry request ids derived from the suggestion, so a retried or concurrent accept
   * gets the same party and the same template back from invoicing and templates instead of new ones;
   * the one transaction of this service (marking it accepted) comes last, so under an Idempotency-Key
   * it records the whole answer.
   */
  async accept(tenant: TenantContext, id: string, overrides: SuggestionAccept): Promise<SuggestionAccepted> {
    const s = await this.load(tenant, id);
    if (s.status === 'accepted') {
      throw ProblemError.invalidState(`Suggestion ${id} was already accepted as template ${s.template_id}.`);
    }
    if (s.status === 'dismissed') {
      throw ProblemError.invalidState(`Suggestion ${id} was dismissed; it cannot be accepted.`);
    }
    const kind = s.direction === 'incoming' ? 'customer' : 'vendor';
    const wrongParty = kind === 'customer' ? overrides.vendor_id : overrides.customer_id;
    if (wrongParty) {
      const field = kind === 'customer' ? 'vendor_id' : 'customer_id';
      throw ProblemError.field(
        field,
        `does not apply: this suggestion is a ${kind === 'customer' ? 'invoice to a customer' : 'bill from a vendor'}`,
        'not_applicable',
      );
    }
    const today = await this.clock.today(tenant.timezone);
    const problems = checkTemplate(templateFor(s, overrides, s.id, today), today);
    if (problems.length) throw ProblemError.validation(problems);
    const { party, created } = await this.counterparty(tenant, s, kind, overrides);
    const input = templateFor(s, overrides, party.id, today);
    const template = await runInRequestScope(requestId(s.id, 'template'), false, () =>
      this.rpc.call(TemplatesRpc.create, input, tenant),
    );
    return this.uow.run(async (tx) => {
      let row = await this.suggestions.markAccepted(tx.manager, tenant.id, id, template.id, party.id);
      if (!row) {
        // A concurrent accept got here first: with the same template (the request ids) it is one accept.
        row = await this.load(tenant, id);
        if (row.template_id !== template.id)
          throw ProblemError.invalidState(`Suggestion ${id} was already accepted.`);
      } else {
        tx.publish(SuggestionEvents.accepted, tenant.id, {
          suggestion: mapSuggestion(row),
          template_id: template.id,
          counterparty_id: party.id,
        });
      }
      return { suggestion: mapSuggestion(row), template, counterparty: { ...party, created } };
    });
  }

  private async counterparty(
    tenant: TenantContext,
    s: SuggestionRow,
    kind: 'customer' | 'vendor',
    overrides: SuggestionAccept,
  ): Promise<{ party: PartyView; created: boolean }> {
    const givenId = kind === 'customer' ? overrides.customer_id : overrides.vendor_id;
    const field = kind === 'customer' ? 'customer_id' : 'vendor_id';
    if (givenId) {
      try {
        return { party: await this.directory.get(tenant, kind, givenId), created: false };
      } catch (err) {
        if (err instanceof ProblemError && err.problem.status === 404) {
          throw ProblemError.field(field, `no ${kind} with this id`, 'not_found');
        }
        throw err;
      }
    }
    const name = overrides.counterparty_name ?? s.counterparty;
    const existing = await this.directory.findByName(tenant, kind, name);
    if (existing) return { party: existing, created: false };
    if (kind === 'customer' && !overrides.customer_email) {
      throw ProblemError.field(
        'customer_email',
        `is required to create the customer "${name}" (no customer has this name; or give customer_id)`,
        'required',
      );
    }
    const party = await this.directory.create(
      tenant,
      kind,
      {
        name,
        currency: s.currency,
        ...(overrides.customer_email ? { email: overrides.customer_email } : {}),
      },
      requestId(s.id, `${kind}:${createHash('sha256').update(name).digest('hex').slice(0, 16)}`),
    );
    return { party, created: true };
  }

  private async load(tenant: TenantContext, id: string): Promise<SuggestionRow> {
    const row = isUuid(id) ? await this.suggestions.find(tenant.id, id) : null;
    if (!row) throw ProblemError.notFound('Suggestion', id);
    return row;
  }
}

/** The request id of one creation an accept makes (recorded by the service that creates). */
function requestId(suggestionId: string, what: string): string {
  return `suggestion-accept:${suggestionId}:${what}`;
}
