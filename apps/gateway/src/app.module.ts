import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { PlatformModule } from '@billing/common';
import { AdminClockController, AdminParkedController } from './admin/admin.controller';
import { AdminService } from './admin/admin.service';
import { AuthGuard } from './auth/auth.guard';
import type { GatewayConfig } from './config';
import { ProblemFilter } from './http/problem.filter';
import { StrictInputsGuard } from './http/request-shape';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { IdempotencyService } from './idempotency/idempotency.service';
import { InvoicesController } from './invoices/invoices.controller';
import { InvoicesService } from './invoices/invoices.service';
import { JournalEntriesController, ReportsController } from './ledger/ledger.controller';
import { LedgerService } from './ledger/ledger.service';
import { gatewayMigrations } from './migrations';
import { InvoiceDeliveryController, RemindersController } from './notifier/notifier.controller';
import { NotifierService } from './notifier/notifier.service';
import { CustomersController, VendorsController } from './parties/parties.controller';
import { PartiesService } from './parties/parties.service';
import { RateLimitRepository } from './rate-limit/rate-limit.repository';
import { RateLimiter } from './rate-limit/rate-limiter.service';
import { SchedulerRunsController } from './scheduler/scheduler.controller';
import { SchedulerService } from './scheduler/scheduler.service';
import { SuggestionsController, TransactionsController } from './suggestions/suggestions.controller';
import { SuggestionsGatewayService } from './suggestions/suggestions.service';
import { TemplatesController } from './templates/templates.controller';
import { TemplatesService } from './templates/templates.service';
import { TenantRepository } from './tenants/tenant.repository';
import { AdminTenantsController, TenantController } from './tenants/tenants.controller';
import { TenantsRpcHandlers } from './tenants/tenants.rpc';
import { TenantsService } from './tenants/tenants.service';

/**
 * The public REST API: authenticates, validates, applies Idempotency-Key and forwards to the services
 * over NATS with the caller's tenant. Its own tables: tenants, API keys, idempotency records. It answers
 * `TenantsRpc.list` for the services that need every tenant (the scheduler).
 */
@Module({})
export class GatewayAppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [PlatformModule.forRoot({ service: 'gateway', config, migrations: gatewayMigrations })],
      controllers: [
        AdminTenantsController,
        TenantController,
        CustomersController,
        VendorsController,
        TemplatesController,
        InvoicesController,
        InvoiceDeliveryController,
        RemindersController,
        JournalEntriesController,
        ReportsController,
        SchedulerRunsController,
        TransactionsController,
        SuggestionsController,
        AdminClockController,
        AdminParkedController,
      ],
      providers: [
        TenantRepository,
        TenantsService,
        TenantsRpcHandlers,
        IdempotencyRepository,
        IdempotencyService,
        PartiesService,
        TemplatesService,
        InvoicesService,
        NotifierService,
        LedgerService,
        SchedulerService,
        SuggestionsGatewayService,
        AdminService,
        RateLimitRepository,
        RateLimiter,
        { provide: APP_FILTER, useClass: ProblemFilter },
        // In this order: who is calling (and their rate limit), then whether the route takes what came.
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: StrictInputsGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
