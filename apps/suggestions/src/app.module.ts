import { type DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@billing/common';
import type { SuggestionsConfig } from './config';
import { suggestionsMigrations } from './migrations';
import { SuggestionsModule } from './suggestions/suggestions.module';
import { TransactionsModule } from './transactions/transactions.module';

/**
 * Imported transactions and the suggestions mined from them: imports over RPC (from the gateway) and
 * transactions from the bus, a worker that runs import jobs and re-mines touched groups, and the
 * suggestions API (accepting creates the template through the templates app).
 */
@Module({})
export class SuggestionsAppModule {
  static forRoot(config: SuggestionsConfig): DynamicModule {
    return {
      module: SuggestionsAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'suggestions', config, migrations: suggestionsMigrations }),
        SuggestionsModule,
        TransactionsModule,
      ],
    };
  }
}
