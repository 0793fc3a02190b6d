/**
 * A buffered writer over a NodeJS.WritableStream that honours backpressure: small pieces are
 * gathered into chunks of about 64 KiB, and when the stream says it is full we wait for 'drain'.
 * Exporters write piece by piece through this, so no whole-document string is ever built.
 */
const CHUNK = 64 * 1024;

export class StreamWriter {
  private parts: string[] = [];
  private size = 0;
  /** The error the stream reported, thrown by the next flush. */
  private streamError: Error | null = null;
  private readonly onError = (e: Error): void => {
    this.streamError = e;
  };

  constructor(private readonly out: NodeJS.WritableStream) {
    out.on('error', this.onError);
  }

  /** Queues `s`; resolves at once unless a chunk had to be flushed into a full stream. */
  write(s: string): Promise<void> | void {
    if (s === '') return;
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= CHUNK) return this.flush();
  }

  /** Writes what is queued and waits for 'drain' if the stream asks for it. */
  async flush(): Promise<void> {
    if (this.streamError) throw this.streamError;
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.out.write(chunk, 'utf8')) await this.drained();
  }

  /** Flushes the rest. Does not end the stream: the caller owns it. */
  async close(): Promise<void> {
    await this.flush();
    this.out.removeListener('error', this.onError);
    if (this.streamError) throw this.streamError;
  }

  private drained(): Promise<void> {
    // A destroyed stream (e.g. the HTTP client went away) will never drain: stop the export.
    if ((this.out as { destroyed?: boolean }).destroyed) return Promise.reject(this.streamError ?? new Error('the output stream was closed'));
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        this.out.removeListener('drain', onDrain);
        this.out.removeListener('error', onErr);
        this.out.removeListener('close', onClose);
      };
      const onDrain = (): void => {
        cleanup();
        resolve();
      };
      const onClose = (): void => {
        cleanup();
        if ((this.out as { destroyed?: boolean }).destroyed) reject(this.streamError ?? new Error('the output stream was closed'));
        else resolve();
      };
      const onErr = (e: Error): void => {
        cleanup();
        reject(e);
      };
      this.out.once('drain', onDrain);
      this.out.once('error', onErr);
      // A stream destroyed while we wait never drains; 'close' ends the wait instead.
      this.out.once('close', onClose);
    });
  }
}
