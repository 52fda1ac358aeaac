import { KickedLoop } from './kicked-loop';

describe('KickedLoop', () => {
  it('never runs two passes at once; kicks during a pass coalesce into one more pass', async () => {
    let running = 0;
    let overlapped = false;
    let passes = 0;
    let release!: () => void;
    const loop = new KickedLoop(
      async () => {
        running++;
        if (running > 1) overlapped = true;
        passes++;
        if (passes === 1) await new Promise<void>((r) => (release = r));
        running--;
      },
      60_000,
      () => undefined,
    );
    loop.start(); // first pass, held open
    loop.kick();
    loop.kick();
    loop.kick();
    expect(passes).toBe(1);
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(passes).toBe(2);
    expect(overlapped).toBe(false);
    await loop.stop();
  });

  it('reports a failed pass and keeps going; stop waits for the pass in progress and ends the kicks', async () => {
    const errors: string[] = [];
    let passes = 0;
    let finished = false;
    const loop = new KickedLoop(
      async () => {
        passes++;
        if (passes === 1) throw new Error('boom');
        await new Promise((r) => setTimeout(r, 20));
        finished = true;
      },
      60_000,
      (err) => errors.push(err.message),
    );
    loop.start();
    await new Promise((r) => setTimeout(r, 5));
    expect(errors).toEqual(['boom']);
    loop.kick();
    await loop.stop();
    expect(finished).toBe(true);
    loop.kick();
    expect(passes).toBe(2);
  });
});
