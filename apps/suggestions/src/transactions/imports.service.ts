import { Inject, Injectable } from '@nestjs/common';
import type { FieldError, ImportView, TenantContext, TransactionInput } from '@billing/contracts';
import { CONFIG, ProblemError, UnitOfWork, isUuid, uuidv7 } from '@billing/common';
import type { SuggestionsConfig } from '../config';
import { ImportRepository } from './import.repository';
import { ImportWorker } from './import.worker';
import { toTransactionRow } from './transaction-row';

/** Most row errors one rejection lists. */
const MAX_ROW_ERRORS = 100;

/**
 * Imports arrive in three calls (the gateway validated the file first): begin (the import record),
 * append (chunks of staged rows, small enough for a NATS message) and commit, after which the import
 * runs as a job (ImportWorker) and reports its progress on the import record.
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly imports: ImportRepository,
    private readonly uow: UnitOfWork,
    private readonly worker: ImportWorker,
    @Inject(CONFIG) private readonly config: SuggestionsConfig,
  ) {}

  begin(tenant: TenantContext, input: { format: 'json' | 'csv'; rows_total: number }): Promise<ImportView> {
    return this.uow.run(async (tx) => {
      const imp = await this.imports.insert(tx.manager, uuidv7(), tenant.id, input.format, input.rows_total);
      return imp.view;
    });
  }

  append(tenant: TenantContext, input: { import_id: string; first_row: number; rows: TransactionInput[] }) {
    return this.uow.run(async (tx) => {
      const imp = await this.imports.lock(tx.manager, tenant.id, input.import_id);
      if (!imp) throw ProblemError.notFound('Import', input.import_id);
      if (imp.status !== 'receiving') throw ProblemError.invalidState(`Import ${imp.id} is ${imp.status}.`);
      const last = input.first_row + input.rows.length - 1;
      if (last > imp.rowsTotal) {
        throw ProblemError.field(
          'rows',
          `row ${last} is beyond the ${imp.rowsTotal} rows the import announced`,
          'too_many_rows',
        );
      }
      const received = await this.imports.stage(
        tx.manager,
        imp.id,
        input.first_row,
        input.rows.map(toTransactionRow),
      );
      return { import_id: imp.id, rows_received: received };
    });
  }

  /**
   * Every row is staged: checks the file as a whole (an external id twice is refused, and then nothing
   * of the file is kept), numbers identical rows and queues the job. Answers once the job is done, or
   * after half the RPC timeout with the job still running (follow it with `imports.get`).
   */
  async commit(tenant: TenantContext, id: string): Promise<ImportView> {
    const queued = await this.uow.run(async (tx) => {
      const imp = await this.imports.lock(tx.manager, tenant.id, id);
      if (!imp) throw ProblemError.notFound('Import', id);
      if (imp.status !== 'receiving') return imp.view;
      const [{ count }]: Array<{ count: number }> = await tx.manager.query(
        'SELECT count(*)::int AS count FROM import_rows WHERE import_id = $1',
        [id],
      );
      if (count !== imp.rowsTotal) {
        throw ProblemError.invalidState(`Import ${id} has received ${count} of its ${imp.rowsTotal} rows.`);
      }
      const repeated = await this.imports.repeatedExternalIds(tx.manager, id, MAX_ROW_ERRORS);
      if (repeated.length) return { rejected: repeated };
      await this.imports.numberOccurrences(tx.manager, id);
      await this.imports.setStatus(tx.manager, id, 'queued');
      return null;
    });
    if (queued && 'rejected' in queued) {
      await this.uow.run((tx) => this.imports.delete(tx.manager, id));
      const errors: FieldError[] = queued.rejected.map((r) => ({
        field: `rows[${r.row_number}].external_id`,
        message: `repeats the external id of row ${r.first_row}`,
        code: 'duplicate',
      }));
      throw ProblemError.validation(
        errors,
        'The file has rows with the same external id; nothing was imported.',
      );
    }
    if (queued) return queued;
    this.worker.kick();
    const deadline = Date.now() + this.config.RPC_TIMEOUT_MS / 2;
    for (;;) {
      const imp = await this.imports.find(tenant.id, id);
      if (!imp) throw ProblemError.notFound('Import', id);
      if (imp.status === 'completed' || imp.status === 'failed' || Date.now() >= deadline) return imp.view;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async get(tenant: TenantContext, id: string): Promise<ImportView> {
    const imp = isUuid(id) ? await this.imports.find(tenant.id, id) : null;
    if (!imp) throw ProblemError.notFound('Import', id);
    return imp.view;
  }
}
