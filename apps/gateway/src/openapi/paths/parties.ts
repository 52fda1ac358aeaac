import { PartyListQuerySchema } from '@billing/contracts';
import { ById, group, type Operation } from '../operation';
import { type Schemas } from '../schemas';

/** `/v1/customers` and `/v1/vendors`: the same four routes over parties of one kind. */
export function partyOperations(s: Schemas, kind: 'customers' | 'vendors', label: string): Operation[] {
  const one = label.toLowerCase();
  return group(label, 'tenant', [
    {
      method: 'post',
      path: `/v1/${kind}`,
      summary: `Create a ${one}`,
      body: s.PartyCreate,
      status: 201,
      response: s.Party,
    },
    {
      method: 'get',
      path: `/v1/${kind}`,
      summary: `List ${kind}`,
      query: PartyListQuerySchema,
      status: 200,
      response: s.PartyPage,
    },
    {
      method: 'get',
      path: `/v1/${kind}/{id}`,
      summary: `Get a ${one}`,
      params: ById(label),
      status: 200,
      response: s.Party,
      problems: [404],
    },
    {
      method: 'patch',
      path: `/v1/${kind}/{id}`,
      summary: `Update a ${one}`,
      params: ById(label),
      body: s.PartyPatch,
      status: 200,
      response: s.Party,
      problems: [404],
    },
  ]);
}
