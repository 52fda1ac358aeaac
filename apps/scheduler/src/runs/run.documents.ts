import { Injectable, Logger } from '@nestjs/common';
import { InvoicesRpc, type TenantContext, occurrenceKey } from '@billing/contracts';
import { RpcClient } from '@billing/common';
import type { RunCounts, RunResultView } from './run.model';
import { RunRepository } from './run.repository';

/** ofOccurrences answers this many keys per call. */
const KEYS_PER_CALL = 1000;

type Key = { template_id: string; occurrence_date: string };

/**
 * What the occurrences a run published became, read from invoicing when a run is shown: the document of
 * each occurrence and how many documents each run has. Nothing is copied into the scheduler per
 * document — the generation path stays one event long — and the answer is always the invoices as they
 * are. A document wins over an earlier reported failure (the occurrence was generated after all). When
 * invoicing cannot answer, results show what the scheduler knows, never a guess.
 */
@Injectable()
export class RunDocuments {
  private readonly logger = new Logger('RunDocuments');

  constructor(
    private readonly rpc: RpcClient,
    private readonly runs: RunRepository,
  ) {}

  /**
   * Counts with `generated` = the run's documents; claimed occurrences without one stay pending or failed.
   * `withinMs` bounds the wait for invoicing (the caller has an answer to give in time).
   */
  async counts(
    tenant: TenantContext,
    raw: Map<string, RunCounts>,
    withinMs?: number,
  ): Promise<Map<string, RunCounts>> {
    const open = [...raw].filter(([, c]) => c.pending > 0 || c.failed > 0).map(([id]) => id);
    if (open.length === 0) return raw;
    try {
      const answer = await this.rpc.call(InvoicesRpc.countByRun, { run_ids: open }, tenant, withinMs);
      const documents = new Map(answer.data.map((d) => [d.run_id, d.documents]));
      const out = new Map(raw);
      for (const id of open) {
        const c = raw.get(id)!;
        const docs = documents.get(id) ?? 0;
        const failedButGenerated = c.failed > 0 && docs > 0 ? await this.failedWithDocument(tenant, id) : 0;
        const claimed = c.pending + c.generated + failedButGenerated;
        const generated = Math.min(claimed, docs);
        out.set(id, { ...c, generated, pending: claimed - generated, failed: c.failed - failedButGenerated });
      }
      return out;
    } catch (err) {
      this.logger.warn(`run counts without invoicing (${(err as Error).message})`);
      return raw;
    }
  }

  /** Pending and failed results whose occurrence has its document become `generated` with it. */
  async results(tenant: TenantContext, rows: RunResultView[]): Promise<RunResultView[]> {
    const open = rows.filter((r) => r.outcome === 'pending' || r.outcome === 'failed');
    if (open.length === 0) return rows;
    let found: Map<string, string>;
    try {
      found = await this.documentsOf(tenant, open);
    } catch (err) {
      this.logger.warn(`run results without invoicing (${(err as Error).message})`);
      return rows;
    }
    return rows.map((r) => {
      const invoiceId = found.get(occurrenceKey(r.template_id, r.occurrence_date));
      return invoiceId && r.outcome !== 'skipped'
        ? { ...r, outcome: 'generated', reason: null, invoice_id: invoiceId }
        : r;
    });
  }

  private async failedWithDocument(tenant: TenantContext, runId: string): Promise<number> {
    return (await this.documentsOf(tenant, await this.runs.failedKeys(runId))).size;
  }

  private async documentsOf(tenant: TenantContext, keys: Key[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let i = 0; i < keys.length; i += KEYS_PER_CALL) {
      const answer = await this.rpc.call(
        InvoicesRpc.ofOccurrences,
        {
          occurrences: keys
            .slice(i, i + KEYS_PER_CALL)
            .map((k) => ({ template_id: k.template_id, occurrence_date: k.occurrence_date })),
        },
        tenant,
      );
      for (const d of answer.data) found.set(occurrenceKey(d.template_id, d.occurrence_date), d.invoice_id);
    }
    return found;
  }
}
