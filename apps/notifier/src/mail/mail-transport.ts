import { mkdir, rename, writeFile } from 'fs/promises';
import { join, resolve } from 'path';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CONFIG } from '@billing/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { NotifierConfig } from '../app.module';

/** An SMTP answer that retrying will not change (5xx: no such mailbox, refused, …). */
export class PermanentDeliveryError extends Error {}

/**
 * Where mail goes: the SMTP server at SMTP_URL, or — SMTP_URL unset, as `npm start` runs — `.eml` files
 * in the outbox folder (one per delivery, named by it: a retried write replaces the same file).
 */
@Injectable()
export class MailTransport implements OnModuleInit {
  private readonly logger = new Logger('MailTransport');
  private readonly smtp?: Transporter;
  private readonly files?: Transporter;
  readonly outboxDir: string;

  constructor(@Inject(CONFIG) private readonly config: NotifierConfig) {
    this.outboxDir = resolve(config.MAIL_OUTBOX_DIR);
    if (config.SMTP_URL) {
      const timeouts = {
        connectionTimeout: config.SMTP_TIMEOUT_MS,
        greetingTimeout: config.SMTP_TIMEOUT_MS,
        socketTimeout: config.SMTP_TIMEOUT_MS,
      };
      this.smtp = nodemailer.createTransport(config.SMTP_URL, timeouts as never);
    } else {
      this.files = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    }
  }

  get description(): string {
    return this.smtp ? `SMTP ${redact(this.config.SMTP_URL!)}` : `.eml files in ${this.outboxDir}`;
  }

  async onModuleInit(): Promise<void> {
    if (this.files) await mkdir(this.outboxDir, { recursive: true });
    this.logger.log(`mail goes to ${this.description}`);
  }

  /** Sends one message; `fileName` names its `.eml` in the outbox. Throws PermanentDeliveryError on 5xx. */
  async send(message: Mail.Options, fileName: string): Promise<void> {
    if (this.smtp) {
      try {
        await this.smtp.sendMail(message);
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) {
          throw new PermanentDeliveryError(`the SMTP server refused the message: ${(err as Error).message}`);
        }
        throw err;
      }
      return;
    }
    const info = (await this.files!.sendMail(message)) as { message: Buffer };
    const path = join(this.outboxDir, fileName);
    const partial = `${path}.partial`;
    await mkdir(this.outboxDir, { recursive: true });
    await writeFile(partial, info.message);
    await rename(partial, path);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
