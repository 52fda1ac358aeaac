import { Controller } from '@nestjs/common';
import { type SuggestionAccept, type SuggestionListQuery, SuggestionsRpc } from '@billing/contracts';
import { OnRpc, type RpcContext, requireTenant } from '@billing/common';
import { SuggestionsService } from './suggestions.service';

/** NATS request/reply handlers for suggestions; one line each. */
@Controller()
export class SuggestionsController {
  constructor(private readonly suggestions: SuggestionsService) {}

  @OnRpc(SuggestionsRpc.list)
  list(data: SuggestionListQuery, ctx: RpcContext) {
    return this.suggestions.list(requireTenant(ctx), data);
  }

  @OnRpc(SuggestionsRpc.get)
  get(data: { id: string }, ctx: RpcContext) {
    return this.suggestions.get(requireTenant(ctx), data.id);
  }

  @OnRpc(SuggestionsRpc.accept)
  accept(data: { id: string; overrides: SuggestionAccept }, ctx: RpcContext) {
    return this.suggestions.accept(requireTenant(ctx), data.id, data.overrides);
  }

  @OnRpc(SuggestionsRpc.dismiss)
  dismiss(data: { id: string }, ctx: RpcContext) {
    return this.suggestions.dismiss(requireTenant(ctx), data.id);
  }
}
