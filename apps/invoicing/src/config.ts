import { appConfigSchema } from '@billing/common';

export const invoicingConfigSchema = appConfigSchema({ port: 3002, schema: 'invoicing' }, {});
