import { type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  /** The text body, transfer encoding undone. */
  text: string;
}

/**
 * A real SMTP server on loopback (smtp-server, the receiving side of nodemailer's project) that
 * keeps what it receives. It asks for the credentials given (AUTH over plain TCP: loopback only).
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  private waiters: { match: (m: ReceivedMail) => boolean; resolve: (m: ReceivedMail) => void }[] =
    [];
  private server: SMTPServer | undefined;
  port = 0;

  constructor(private readonly credentials = { user: 'wiki', pass: 'smtp pass: s3cret/ok' }) {}

  /** `smtp://user:pass@127.0.0.1:port` for SMTP_URL. */
  get url(): string {
    const { user, pass } = this.credentials;
    return `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    this.server = new SMTPServer({
      authMethods: ['PLAIN', 'LOGIN'],
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, done) => {
        if (auth.username === this.credentials.user && auth.password === this.credentials.pass) {
          done(null, { user: auth.username });
        } else {
          done(new Error('Invalid username or password'));
        }
      },
      onData: (stream, session, done) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          this.receive({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            ...parse(Buffer.concat(chunks).toString('utf8')),
          });
          done();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  /** The next mail (already received or still to come) that `match` accepts. */
  next(match: (mail: ReceivedMail) => boolean = () => true): Promise<ReceivedMail> {
    const found = this.mails.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(resolve) : resolve()));
    this.server = undefined;
  }

  private receive(mail: ReceivedMail): void {
    this.mails.push(mail);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(mail)) return true;
      w.resolve(mail);
      return false;
    });
  }
}

/** Subject and text of a single-part text mail as nodemailer writes it (7bit or quoted-printable). */
function parse(raw: string): { subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  let body = raw.slice(split + 4);
  const header = (name: string) =>
    head
      .split('\r\n')
      .find((line) => line.toLowerCase().startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim() ?? '';
  if (/quoted-printable/i.test(header('content-transfer-encoding'))) {
    body = Buffer.from(
      body
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  }
  return { subject: header('subject'), text: body.replace(/\r\n/g, '\n') };
}
