import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { LOGGER, type Logger } from '@lateral/observability';
import nodemailer, { type Transporter } from 'nodemailer';
import { GatewayConfig } from '../gateway.config.js';
import { GatewayMetrics } from '../gateway.metrics.js';
import { type MailMessage } from './mail-messages.js';

/**
 * Sends the wiki's few mails (invite and reset links) through the SMTP server in SMTP_URL, when
 * there is one. Nothing else in the gateway speaks SMTP. A mail that cannot be sent is an answer
 * (`false`), never an exception: the admin still has the link to copy, and a person asking for a
 * reset gets the same page either way. The log never carries a message: it holds a one-time link.
 */
@Injectable()
export class MailService implements OnModuleDestroy {
  private readonly transport: Transporter | undefined;

  constructor(
    config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    const smtp = config.smtp;
    if (!smtp) return;
    const url = new URL(smtp.url);
    this.transport = nodemailer.createTransport(
      {
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
        // smtps: TLS from the first byte; smtp: STARTTLS whenever the server offers it.
        secure: url.protocol === 'smtps:',
        auth: url.username
          ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
          : undefined,
        connectionTimeout: smtp.timeoutMs,
        greetingTimeout: smtp.timeoutMs,
        socketTimeout: smtp.timeoutMs,
        // nodemailer's own logger would print the whole conversation, message included.
        logger: false,
      },
      { from: smtp.from },
    );
  }

  /** Whether mails go out at all (SMTP_URL is set). */
  get enabled(): boolean {
    return this.transport !== undefined;
  }

  /** True when the mail server accepted the message. */
  async send(message: MailMessage): Promise<boolean> {
    if (!this.transport) return false;
    try {
      await this.transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
      this.metrics.mails.inc({ kind: message.kind, result: 'sent' });
      return true;
    } catch (error) {
      this.metrics.mails.inc({ kind: message.kind, result: 'failed' });
      // What went wrong, not what was sent: the code and the server's reply code only.
      const e = error as { code?: unknown; responseCode?: unknown; command?: unknown };
      this.logger.warn(
        {
          mail: message.kind,
          code: typeof e.code === 'string' ? e.code : undefined,
          responseCode: typeof e.responseCode === 'number' ? e.responseCode : undefined,
          command: typeof e.command === 'string' ? e.command.slice(0, 20) : undefined,
        },
        'could not send mail',
      );
      return false;
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
