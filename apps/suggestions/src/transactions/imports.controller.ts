import { Controller } from '@nestjs/common';
import { SuggestionsRpc, type TransactionInput } from '@billing/contracts';
import { OnRpc, type RpcContext, requireTenant } from '@billing/common';
import { ImportsService } from './imports.service';

/** NATS request/reply handlers for imports; one line each. */
@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @OnRpc(SuggestionsRpc.beginImport)
  begin(data: { format: 'json' | 'csv'; rows_total: number }, ctx: RpcContext) {
    return this.imports.begin(requireTenant(ctx), data);
  }

  @OnRpc(SuggestionsRpc.appendImport)
  append(data: { import_id: string; first_row: number; rows: TransactionInput[] }, ctx: RpcContext) {
    return this.imports.append(requireTenant(ctx), data);
  }

  @OnRpc(SuggestionsRpc.commitImport)
  commit(data: { id: string }, ctx: RpcContext) {
    return this.imports.commit(requireTenant(ctx), data.id);
  }

  @OnRpc(SuggestionsRpc.getImport)
  get(data: { id: string }, ctx: RpcContext) {
    return this.imports.get(requireTenant(ctx), data.id);
  }
}
