import { Logger } from '@nestjs/common';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer';

export interface BrowserPoolOptions {
  executablePath: string;
  /** Pages open at once (renders in parallel); more callers wait for one. */
  pages: number;
  timeoutMs: number;
}

interface Lease {
  page: Page;
  browser: Browser;
}

/**
 * Every request a page makes is aborted unless it is a `data:` URL: the document itself is set
 * through the DevTools protocol, so nothing an invoice says can make the renderer fetch anything.
 */
function blockRequest(request: HTTPRequest): void {
  if (request.isInterceptResolutionHandled()) return;
  if (request.url().startsWith('data:')) void request.continue();
  else void request.abort('blockedbyclient');
}

/**
 * One headless Chromium, reused, with a pool of locked-down pages (JavaScript off, every request but
 * `data:` aborted). The browser is launched on first use and again after it died (crash, OOM kill):
 * its pages are dropped and the next caller gets a fresh browser; a render that was on the dead
 * browser is retried once on the new one.
 */
export class BrowserPool {
  private readonly logger = new Logger('BrowserPool');
  private browser?: Promise<Browser>;
  private readonly idle: Lease[] = [];
  private leased = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: BrowserPoolOptions) {}

  async withPage<T>(work: (page: Page) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.slot();
      let lease: Lease | undefined;
      try {
        lease = await this.take();
        const result = await work(lease.page);
        this.giveBack(lease);
        return result;
      } catch (err) {
        const browserDied = lease !== undefined && !lease.browser.connected;
        if (lease) this.drop(lease);
        else this.free();
        if (browserDied && attempt === 1 && !this.closed) {
          this.logger.warn(`the browser died during a render; retrying on a new one`);
          continue;
        }
        throw err;
      }
    }
  }

  /** The running browser's process id (tests kill it to prove the relaunch). */
  async pid(): Promise<number | undefined> {
    return (await this.launch()).process()?.pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    const browser = this.browser;
    this.browser = undefined;
    this.idle.length = 0;
    if (browser) await (await browser.catch(() => undefined))?.close().catch(() => undefined);
  }

  /** Waits until fewer than `pages` renders are in flight. */
  private async slot(): Promise<void> {
    while (this.leased >= this.options.pages) await new Promise<void>((r) => this.waiting.push(r));
    this.leased++;
  }

  private free(): void {
    this.leased--;
    this.waiting.shift()?.();
  }

  private async take(): Promise<Lease> {
    while (this.idle.length) {
      const lease = this.idle.pop()!;
      if (lease.browser.connected && !lease.page.isClosed()) return lease;
    }
    const browser = await this.launch();
    return { browser, page: await this.newPage(browser) };
  }

  private giveBack(lease: Lease): void {
    if (lease.browser.connected && !lease.page.isClosed() && !this.closed) this.idle.push(lease);
    this.free();
  }

  private drop(lease: Lease): void {
    if (lease.browser.connected) void lease.page.close().catch(() => undefined);
    this.free();
  }

  private launch(): Promise<Browser> {
    if (this.closed) return Promise.reject(new Error('the PDF renderer is shut down'));
    if (!this.browser) {
      const launching = puppeteer
        .launch({
          executablePath: this.options.executablePath,
          headless: true,
          pipe: true,
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
          timeout: this.options.timeoutMs,
          args: [
            ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
            '--disable-gpu',
            '--disable-dev-shm-usage',
            '--disable-extensions',
            '--disable-background-networking',
            '--disable-sync',
            '--no-first-run',
            '--mute-audio',
            // Defence in depth behind request interception: any request that escaped it would go to a
            // proxy that is not there (loopback included).
            '--proxy-server=socks5://127.0.0.1:9',
            '--proxy-bypass-list=<-loopback>',
          ],
        })
        .then((browser) => {
          browser.once('disconnected', () => {
            if (this.browser === launching) this.browser = undefined;
            if (!this.closed) this.logger.warn('the browser disconnected; the next render relaunches it');
          });
          return browser;
        });
      launching.catch(() => {
        if (this.browser === launching) this.browser = undefined;
      });
      this.browser = launching;
    }
    return this.browser;
  }

  private async newPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage();
    try {
      page.setDefaultTimeout(this.options.timeoutMs);
      await page.setJavaScriptEnabled(false);
      await page.setRequestInterception(true);
      page.on('request', blockRequest);
      return page;
    } catch (err) {
      await page.close().catch(() => undefined);
      throw err;
    }
  }
}
