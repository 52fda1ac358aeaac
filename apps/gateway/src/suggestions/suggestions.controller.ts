import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  type SuggestionAccept,
  SuggestionAcceptSchema,
  type SuggestionListQuery,
  SuggestionListQuerySchema,
  type TenantContext,
} from '@billing/contracts';
import type { Response } from 'express';
import { CurrentTenant } from '../http/gateway-request';
import { EmptyBodySchema, IdPipe, ZodPipe } from '../http/zod.pipe';
import { SuggestionsGatewayService } from './suggestions.service';
import { type TransactionFile, TransactionFilePipe } from './transaction-file';

/** `/v1/transactions`: import past transactions (JSON or CSV), follow an import job; one line per route. */
@Controller('v1/transactions')
export class TransactionsController {
  constructor(private readonly suggestions: SuggestionsGatewayService) {}

  @Post()
  @HttpCode(202)
  async import(
    @CurrentTenant() t: TenantContext,
    @Body(new TransactionFilePipe()) file: TransactionFile,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.suggestions.importTransactions(t, file);
    res.setHeader('Location', `/v1/transactions/imports/${view.id}`);
    return view;
  }

  @Get('imports/:id')
  getImport(@Param('id', new IdPipe('Import')) id: string, @CurrentTenant() t: TenantContext) {
    return this.suggestions.getImport(t, id);
  }
}

/** `/v1/suggestions`: recurring patterns found in the transactions; one line per route. */
@Controller('v1/suggestions')
export class SuggestionsController {
  constructor(private readonly suggestions: SuggestionsGatewayService) {}

  @Get()
  list(
    @CurrentTenant() t: TenantContext,
    @Query(new ZodPipe(SuggestionListQuerySchema)) q: SuggestionListQuery,
  ) {
    return this.suggestions.list(t, q);
  }

  @Get(':id')
  get(@Param('id', new IdPipe('Suggestion')) id: string, @CurrentTenant() t: TenantContext) {
    return this.suggestions.get(t, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  accept(
    @Param('id', new IdPipe('Suggestion')) id: string,
    @CurrentTenant() t: TenantContext,
    @Body(new ZodPipe(SuggestionAcceptSchema)) body: SuggestionAccept,
  ) {
    return this.suggestions.accept(t, id, body);
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  dismiss(
    @Param('id', new IdPipe('Suggestion')) id: string,
    @CurrentTenant() t: TenantContext,
    @Body(new ZodPipe(EmptyBodySchema)) _body: unknown,
  ) {
    return this.suggestions.dismiss(t, id);
  }
}
