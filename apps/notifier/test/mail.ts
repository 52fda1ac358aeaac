import { execFile } from 'child_process';
import { createServer } from 'http';
import type { AddressInfo } from 'net';
import { SMTPServer } from 'smtp-server';

/** Test helpers for mail: a real SMTP server, the PDF attachment of a message and its text. */

/** A message the test SMTP server accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  /** The PDF attachment, decoded. */
  pdf: Buffer | null;
}

/**
 * A real SMTP server (the `smtp-server` package) on a fixed local port, which can be stopped and
 * started again on the same port ("the mail server is down for a while").
 */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  private server?: SMTPServer;

  private constructor(readonly port: number) {}

  static async start(): Promise<TestSmtpServer> {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const smtp = new TestSmtpServer(port);
    await smtp.up();
    return smtp;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      // Mailboxes named bounce-… do not exist: a permanent 550, as a real server answers.
      onRcptTo: (address, _session, callback) => {
        if (!address.address.startsWith('bounce-')) return callback();
        const err = new Error(`No such mailbox: ${address.address}`) as Error & { responseCode: number };
        err.responseCode = 550;
        callback(err);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.received.push(parseMail(Buffer.concat(chunks).toString('utf8'), session));
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to.includes(address));
  }
}

function parseMail(
  raw: string,
  session: { envelope: { mailFrom: unknown; rcptTo: Array<{ address: string }> } },
) {
  const [head] = raw.split(/\r?\n\r?\n/, 1);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = decodeWords(line.slice(i + 1).trim());
  }
  const mailFrom = session.envelope.mailFrom as { address: string } | false;
  return {
    from: mailFrom ? mailFrom.address : '',
    to: session.envelope.rcptTo.map((r) => r.address),
    raw,
    headers,
    pdf: pdfAttachment(raw),
  };
}

/** RFC 2047 encoded words ("=?UTF-8?Q?…?=") decoded; adjacent words join without their space. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

/** The base64 body of the MIME part whose type is application/pdf. */
export function pdfAttachment(raw: string): Buffer | null {
  const m = /Content-Type: application\/pdf[^]*?\r?\n\r?\n([A-Za-z0-9+/=\r\n]+?)\r?\n(?:\r?\n|--)/.exec(raw);
  return m ? Buffer.from(m[1].replace(/\s+/g, ''), 'base64') : null;
}

/**
 * The text of a PDF, by pdf-parse. In a child Node process: pdf.js loads its worker with a dynamic
 * import, which Jest's module system cannot run.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  const script = `
    const { PDFParse } = require(${JSON.stringify(require.resolve('pdf-parse'))});
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', async () => {
      const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
      const { text } = await parser.getText();
      await parser.destroy();
      process.stdout.write(text);
    });`;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['-e', script],
      { maxBuffer: 16 << 20 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`pdf-parse failed: ${stderr || err.message}`)) : resolve(stdout),
    );
    child.stdin!.end(pdf);
  });
}
