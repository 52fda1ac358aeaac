import { DispatchOrder, DispatchTurn } from './dispatch-order';

const settled = async (p: Promise<void>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('DispatchOrder', () => {
  it('lets a turn go on only once every turn drawn before it has passed', async () => {
    const order = new DispatchOrder();
    const [a, b, c] = [order.next(), order.next(), order.next()];
    const cWaits = c.wait(60_000);
    const bWaits = b.wait(60_000);
    expect(await settled(a.wait(60_000))).toBe(true);
    expect(await settled(bWaits)).toBe(false);
    expect(await settled(cWaits)).toBe(false);
    a.pass();
    expect(await settled(bWaits)).toBe(true);
    expect(await settled(cWaits)).toBe(false);
    b.pass();
    b.pass(); // idempotent
    expect(await settled(cWaits)).toBe(true);
  });

  it('goes on after the timeout when a turn before never passes', async () => {
    const order = new DispatchOrder();
    order.next(); // never passes
    const started = Date.now();
    await order.next().wait(50);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('has a free turn for messages handled on their own', async () => {
    expect(await settled(DispatchTurn.free.wait(60_000))).toBe(true);
  });
});
