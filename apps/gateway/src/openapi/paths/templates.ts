import { PreviewQuerySchema, TemplateListQuerySchema } from '@billing/contracts';
import { ById, group, type Operation, PageOnlyQuerySchema, stateAction } from '../operation';
import { type Schemas } from '../schemas';

/** `/v1/templates`: recurring templates, their lifecycle, preview and history. */
export function templateOperations(s: Schemas): Operation[] {
  const byId = ById('Template');
  const action = stateAction('/v1/templates', 'Template', s.Template);
  return group('Templates', 'tenant', [
    {
      method: 'post',
      path: '/v1/templates',
      summary: 'Create a recurring template',
      body: s.TemplateCreate,
      status: 201,
      response: s.Template,
    },
    {
      method: 'get',
      path: '/v1/templates',
      summary: 'List templates (filters: type, status, customer_id, vendor_id)',
      query: TemplateListQuerySchema,
      status: 200,
      response: s.TemplatePage,
    },
    {
      method: 'get',
      path: '/v1/templates/{id}',
      summary: 'Get a template',
      params: byId,
      status: 200,
      response: s.Template,
      problems: [404],
    },
    {
      method: 'patch',
      path: '/v1/templates/{id}',
      summary: 'Update a template (applies to occurrences not yet generated)',
      params: byId,
      body: s.TemplatePatch,
      status: 200,
      response: s.Template,
      problems: [404, 409],
    },
    {
      method: 'delete',
      path: '/v1/templates/{id}',
      summary: 'Delete a template (its generated invoices stay)',
      params: byId,
      status: 204,
      problems: [404],
    },
    action('pause', 'Pause generation'),
    action('resume', 'Resume: the next occurrence is the first scheduled date on or after today'),
    action('skip-next', 'Skip the next occurrence without generating it'),
    action('cancel', 'Cancel permanently'),
    {
      method: 'post',
      path: '/v1/templates/{id}/clone',
      summary: 'Clone as a fresh active template (start date today unless given)',
      params: byId,
      body: s.TemplateClone,
      status: 201,
      response: s.Template,
      problems: [404],
    },
    {
      method: 'get',
      path: '/v1/templates/{id}/preview',
      summary: 'The next N occurrences with issue date, due date and amount',
      params: byId,
      query: PreviewQuerySchema,
      status: 200,
      response: s.TemplatePreview,
      problems: [404],
    },
    {
      method: 'get',
      path: '/v1/templates/{id}/history',
      summary: 'The invoices or bills a template generated, by occurrence',
      params: byId,
      query: PageOnlyQuerySchema,
      status: 200,
      response: s.TemplateHistoryPage,
      problems: [404],
    },
  ]);
}
