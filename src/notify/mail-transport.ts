/**
 * E-mail delivery. SMTP through nodemailer when HAVRE_SMTP_URL is set; otherwise each
 * message is written as an .eml file in `$HAVRE_DATA_DIR/mail/` so a developer can read
 * the links locally (demo mode has no mail server).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../server/config.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

export function createMailTransport(config: Config): MailTransport {
  if (config.smtpUrl) return smtpTransport(config.smtpUrl, config.mailFrom);
  return fileTransport(join(config.dataDir, 'mail'), config.mailFrom);
}

export function smtpTransport(url: string, from: string): MailTransport {
  const transport = nodemailer.createTransport(url, { from });
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
    async close() {
      transport.close();
    },
  };
}

function fileTransport(dir: string, from: string): MailTransport {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const info = await transport.sendMail({ from, ...message });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(
        join(dir, `${Date.now()}-${info.messageId.replace(/[^\w.-]/g, '')}.eml`),
        info.message as Buffer,
        {
          mode: 0o600,
        },
      );
    },
    async close() {},
  };
}
