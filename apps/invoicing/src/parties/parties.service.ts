import { Injectable } from '@nestjs/common';
import {
  type Currency,
  type Page,
  type PartyCreate,
  type PartyPatch,
  type PartyView,
  PartyEvents,
  type TenantContext,
} from '@billing/contracts';
import { ProblemError, UnitOfWork, isUuid, uuidv7 } from '@billing/common';
import { mapParty, type Party, PartyRepository, type PartyKind } from './party.repository';

const LABEL: Record<PartyKind, string> = { customer: 'Customer', vendor: 'Vendor' };

/** Customers (billed by invoices) and vendors (whose bills we pay): one set of rules for both. */
@Injectable()
export class PartiesService {
  constructor(
    private readonly parties: PartyRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(tenant: TenantContext, kind: PartyKind, input: PartyCreate): Promise<PartyView> {
    if (kind === 'customer' && !input.email) {
      throw ProblemError.field('email', 'is required for a customer: invoices are emailed to it', 'required');
    }
    return this.uow.run(async (tx) => {
      const party = await this.parties.insert(tx.manager, {
        id: uuidv7(),
        tenantId: tenant.id,
        kind,
        name: input.name,
        email: input.email ?? null,
        address: input.address ?? null,
        currency: input.currency ?? (tenant.base_currency as Currency),
      });
      const view = mapParty(party);
      if (kind === 'customer') tx.publish(PartyEvents.customerCreated, tenant.id, { customer: view });
      else tx.publish(PartyEvents.vendorCreated, tenant.id, { vendor: view });
      return view;
    });
  }

  async get(tenant: TenantContext, kind: PartyKind, id: string): Promise<PartyView> {
    const party = isUuid(id) ? await this.parties.find(tenant.id, kind, id) : null;
    if (!party) throw ProblemError.notFound(LABEL[kind], id);
    return mapParty(party);
  }

  async update(tenant: TenantContext, kind: PartyKind, id: string, patch: PartyPatch): Promise<PartyView> {
    return this.uow.run(async (tx) => {
      const current = await this.parties.lockForUpdate(tx.manager, tenant.id, kind, id);
      if (!current) throw ProblemError.notFound(LABEL[kind], id);
      const next: Party = {
        ...current,
        name: patch.name ?? current.name,
        email: patch.email !== undefined ? patch.email : current.email,
        address: patch.address !== undefined ? patch.address : current.address,
        currency: patch.currency ?? current.currency,
      };
      if (kind === 'customer' && !next.email) {
        throw ProblemError.field(
          'email',
          'is required for a customer: invoices are emailed to it',
          'required',
        );
      }
      const view = mapParty(await this.parties.update(tx.manager, next));
      if (kind === 'customer') tx.publish(PartyEvents.customerUpdated, tenant.id, { customer: view });
      else tx.publish(PartyEvents.vendorUpdated, tenant.id, { vendor: view });
      return view;
    });
  }

  async list(
    tenant: TenantContext,
    kind: PartyKind,
    limit: number,
    cursor?: string,
  ): Promise<Page<PartyView>> {
    const page = await this.parties.list(tenant.id, kind, limit, cursor);
    return { data: page.data.map(mapParty), next_cursor: page.next_cursor };
  }
}
