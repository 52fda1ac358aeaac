import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@billing/common';
import type { z } from 'zod';
import type { invoicingConfigSchema } from './config';
import { DeliveryModule } from './delivery/delivery.module';
import { InvoicesModule } from './invoices/invoices.module';
import { LedgerModule } from './ledger/ledger.module';
import { invoicingMigrations } from './migrations';
import { PartiesModule } from './parties/parties.module';

export type InvoicingConfig = z.infer<typeof invoicingConfigSchema>;

@Module({})
export class InvoicingAppModule {
  static forRoot(config: InvoicingConfig): DynamicModule {
    return {
      module: InvoicingAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'invoicing', config, migrations: invoicingMigrations }),
        PartiesModule,
        InvoicesModule,
        LedgerModule,
        DeliveryModule,
      ],
    };
  }
}
