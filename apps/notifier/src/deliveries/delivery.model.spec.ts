import { deliveryIdFor, nextAttemptDelay, outboxFileName } from './delivery.model';

const tenant = '0190a1b2-0000-7000-8000-000000000001';
const invoice = '0190a1b2-0000-7000-8000-000000000002';

describe('deliveries', () => {
  it('one id per invoice, kind and reminder offset, the same every time', () => {
    const id = deliveryIdFor(tenant, invoice, 'invoice', null);
    expect(deliveryIdFor(tenant, invoice, 'invoice', null)).toBe(id);
    expect(deliveryIdFor(tenant, invoice, 'reminder', 0)).not.toBe(id);
    expect(deliveryIdFor(tenant, invoice, 'reminder', 1)).not.toBe(
      deliveryIdFor(tenant, invoice, 'reminder', -1),
    );
  });

  it('backs off along the list, the last wait repeating, until the last attempt', () => {
    const backoff = [1000, 5000, 30000];
    expect(nextAttemptDelay(1, 5, backoff)).toBe(1000);
    expect(nextAttemptDelay(2, 5, backoff)).toBe(5000);
    expect(nextAttemptDelay(4, 5, backoff)).toBe(30000);
    expect(nextAttemptDelay(5, 5, backoff)).toBeNull();
    expect(nextAttemptDelay(1, 1, backoff)).toBeNull();
  });

  it('names outbox files after the invoice and the email', () => {
    const id = deliveryIdFor(tenant, invoice, 'reminder', -3);
    expect(outboxFileName({ id, kind: 'reminder', reminderOffset: -3 }, 'INV-000042')).toBe(
      `INV-000042_reminder-3_${id}.eml`,
    );
    expect(outboxFileName({ id, kind: 'reminder', reminderOffset: 7 }, 'INV/../x')).toBe(
      `INV____x_reminder+7_${id}.eml`,
    );
  });
});
