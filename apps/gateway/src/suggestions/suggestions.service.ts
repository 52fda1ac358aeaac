import { Injectable } from '@nestjs/common';
import {
  type ImportView,
  MAX_IMPORT_CHUNK_ROWS,
  type Page,
  type SuggestionAccept,
  type SuggestionAccepted,
  type SuggestionListQuery,
  SuggestionsRpc,
  type SuggestionView,
  type TenantContext,
} from '@billing/contracts';
import { RpcClient } from '@billing/common';
import type { TransactionFile } from './transaction-file';

/**
 * Transactions and suggestions live in the suggestions service. An import is read and validated here
 * (bad rows never leave the gateway), then sent in chunks that fit a NATS message and committed; the
 * service runs it as a job.
 */
@Injectable()
export class SuggestionsGatewayService {
  constructor(private readonly rpc: RpcClient) {}

  async importTransactions(tenant: TenantContext, file: TransactionFile): Promise<ImportView> {
    const begun = await this.rpc.call(
      SuggestionsRpc.beginImport,
      { format: file.format, rows_total: file.rows.length },
      tenant,
    );
    for (let i = 0; i < file.rows.length; i += MAX_IMPORT_CHUNK_ROWS) {
      await this.rpc.call(
        SuggestionsRpc.appendImport,
        { import_id: begun.id, first_row: i + 1, rows: file.rows.slice(i, i + MAX_IMPORT_CHUNK_ROWS) },
        tenant,
      );
    }
    return this.rpc.call(SuggestionsRpc.commitImport, { id: begun.id }, tenant);
  }

  getImport(tenant: TenantContext, id: string): Promise<ImportView> {
    return this.rpc.call(SuggestionsRpc.getImport, { id }, tenant);
  }

  list(tenant: TenantContext, query: SuggestionListQuery): Promise<Page<SuggestionView>> {
    return this.rpc.call(SuggestionsRpc.list, query, tenant);
  }

  get(tenant: TenantContext, id: string): Promise<SuggestionView> {
    return this.rpc.call(SuggestionsRpc.get, { id }, tenant);
  }

  accept(tenant: TenantContext, id: string, overrides: SuggestionAccept): Promise<SuggestionAccepted> {
    return this.rpc.call(SuggestionsRpc.accept, { id, overrides }, tenant);
  }

  dismiss(tenant: TenantContext, id: string): Promise<SuggestionView> {
    return this.rpc.call(SuggestionsRpc.dismiss, { id }, tenant);
  }
}
