import { appConfigSchema } from '@billing/common';

export const templatesConfigSchema = appConfigSchema({ port: 3001, schema: 'templates' }, {});
