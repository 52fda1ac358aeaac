import { Controller } from '@nestjs/common';
import { type EventEnvelope, TransactionEvents, type TransactionRecorded } from '@billing/contracts';
import { OnEventBatch, type Tx } from '@billing/common';
import { TransactionIntake } from './transaction.intake';

/** Transactions other platforms publish on the bus (`transaction.recorded.v1`); one line. */
@Controller()
export class TransactionsConsumer {
  constructor(private readonly intake: TransactionIntake) {}

  @OnEventBatch(TransactionEvents.recorded, { max: 500 })
  recorded(events: Array<EventEnvelope<TransactionRecorded>>, tx: Tx) {
    return this.intake.record(events, tx);
  }
}
