import { createServer, type AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

/** A message as the SMTP server received it: the envelope, the login, the raw bytes and their parse. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  user: string | undefined;
  raw: Buffer;
  parsed: ParsedMail;
}

/** How the server answers the next messages: accepts them, or refuses at RCPT TO or at the end of DATA. */
export type SmtpReply = { accept: true } | { at: 'rcpt' | 'data'; code: number; message: string };

export interface TestSmtpServer {
  /** `smtp://user:pass@127.0.0.1:<port>` for the app's `KORUS_SMTP_URL`. */
  url: string;
  port: number;
  /** Messages accepted so far, in order. */
  readonly received: ReceivedMail[];
  /** Messages refused so far (by `reply`). */
  refused: number;
  reply: SmtpReply;
  close(): Promise<void>;
}

/**
 * A real SMTP server (nodemailer's `smtp-server`) on 127.0.0.1 on an ephemeral port, requiring a login (AUTH
 * PLAIN/LOGIN; allowed without TLS since the connection never leaves the host), STARTTLS off. Every accepted
 * message is parsed with `mailparser`, independently of the code that composed it.
 */
export async function startSmtpServer(
  login: { user: string; password: string } = { user: 'korus', password: 'secret-pw' },
): Promise<TestSmtpServer> {
  let close: () => Promise<void> = async () => undefined;
  const handle: TestSmtpServer = {
    url: '',
    port: 0,
    received: [],
    refused: 0,
    reply: { accept: true },
    close: () => close(),
  };
  const refusal = (at: 'rcpt' | 'data'): SMTPServerError | null => {
    const reply = handle.reply;
    if ('accept' in reply || reply.at !== at) return null;
    handle.refused += 1;
    return Object.assign(new Error(reply.message), { responseCode: reply.code });
  };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === login.user && auth.password === login.password) {
        callback(null, { user: auth.username });
      } else {
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
    },
    onRcptTo(_address, _session, callback) {
      callback(refusal('rcpt'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const error = refusal('data');
        if (error) return callback(error);
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const from = session.envelope.mailFrom;
            handle.received.push({
              envelope: {
                from: from ? from.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
              },
              user: session.user as string | undefined,
              raw,
              parsed,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(handle, {
    port,
    url: `smtp://${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@127.0.0.1:${port}`,
  });
}

/** An address on 127.0.0.1 where nothing listens (a port just released): connecting is refused. */
export async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
