import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { HeicDecodeError, type DecodedPixels } from './heic-pool.js';

export interface NativeHeicOptions {
  /** libheif's command-line decoder (Debian's `libheif-examples`: heif-convert). */
  binary: string;
  /** Where each decode gets its own directory (input and output files), removed afterwards. */
  tempDir: string;
  /** Address-space limit of the decoder process (prlimit --as). */
  memoryBytes: number;
  /** Wall-clock limit; the job's own signal stops it sooner. */
  timeoutMs: number;
  /** Pixel limit for reading the decoder's output back (the probe checked the header already). */
  maxPixels: number;
}

/** What start-up found: whether HEVC can be decoded natively, and why not when it cannot. */
export interface NativeHeicProbe {
  available: boolean;
  detail: string;
}

/**
 * The decoder writes a JPEG at this quality: near-lossless for 8-bit 4:2:0 HEVC (mean error
 * ~0.2 levels against libheif's RGB), and as fast as any output heif-convert 1.15 has. Its PNG
 * writer (zlib at level 6) took 4.5 s for a 12 MP photo; Y4M would leave the YCbCr matrix and
 * range (the file's nclx or the HEVC VUI) to us, which libheif already gets right.
 */
const INTERMEDIATE_QUALITY = '95';

/** No shell, no inherited environment: the decoder gets only what it needs to start. */
const CHILD_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C' };

/**
 * A command run with no shell and only CHILD_ENV, killed (SIGKILL) at its timeout or when the
 * signal aborts. A failure rejects with Node's error, which carries what the command wrote to
 * stderr (its reason, for libheif).
 */
const execFileAsync = promisify(execFile);
const run = (file: string, args: string[], options: { timeoutMs: number; signal?: AbortSignal }) =>
  execFileAsync(file, args, {
    env: CHILD_ENV,
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024,
    signal: options.signal,
    windowsHide: true,
  });

/**
 * HEIC (HEVC) decoded by libheif's own command-line decoder as a sandboxed child process: no
 * shell, an empty environment, an address-space and CPU-time limit (prlimit), a wall-clock
 * timeout and the image job's abort signal (SIGKILL), its own temporary directory removed
 * whatever happens. libheif applies the HEIF rotation and mirror boxes itself, as the
 * WebAssembly pool does. Alpha is not carried (JPEG has none): images with an alpha plane go
 * to the WebAssembly pool instead (ImageProcessor).
 */
export class NativeHeicDecoder {
  constructor(private readonly options: NativeHeicOptions) {}

  /**
   * Whether this machine can decode natively: prlimit and the decoder run, the decoder lists a
   * HEIC (HEVC) decoder, and the temporary directory is writable (a read-only root filesystem
   * without a /tmp volume is not).
   */
  static async probe(
    options: Pick<NativeHeicOptions, 'binary' | 'tempDir'>,
  ): Promise<NativeHeicProbe> {
    try {
      await run('prlimit', ['--version'], { timeoutMs: 5_000 });
    } catch {
      return { available: false, detail: 'prlimit (util-linux) not found' };
    }
    let listing: string;
    try {
      listing = (await run(options.binary, ['--list-decoders'], { timeoutMs: 5_000 })).stdout;
    } catch (error) {
      return {
        available: false,
        detail: `${options.binary} did not run (${(error as Error).message.split('\n')[0]})`,
      };
    }
    // "HEIC decoders:" then one "- name = description" line per decoder.
    const lines = listing.split('\n').map((line) => line.trim());
    const first = lines[lines.indexOf('HEIC decoders:') + 1] ?? '';
    const hevc = lines.includes('HEIC decoders:') && first.startsWith('- ') ? first.slice(2) : '';
    if (!hevc) return { available: false, detail: `${options.binary} lists no HEIC decoder` };
    try {
      await rm(await mkdtemp(join(options.tempDir, 'heic-')), { recursive: true });
    } catch (error) {
      return {
        available: false,
        detail: `${options.tempDir} is not writable (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      };
    }
    return { available: true, detail: `${options.binary} with ${hevc}` };
  }

  async decode(input: Buffer, signal?: AbortSignal): Promise<DecodedPixels> {
    const dir = await mkdtemp(join(this.options.tempDir, 'heic-'));
    try {
      const inPath = join(dir, 'in.heic');
      const outPath = join(dir, 'out.jpg');
      await writeFile(inPath, input);
      const cpuSeconds = Math.max(1, Math.ceil(this.options.timeoutMs / 1000));
      try {
        await run(
          'prlimit',
          [
            `--as=${this.options.memoryBytes}`,
            `--cpu=${cpuSeconds}`,
            '--core=0',
            '--',
            this.options.binary,
            '--quiet',
            '-q',
            INTERMEDIATE_QUALITY,
            inPath,
            outPath,
          ],
          { timeoutMs: this.options.timeoutMs, signal },
        );
      } catch (error) {
        signal?.throwIfAborted();
        const { stderr } = error as { stderr?: string };
        const reason = stderr?.trim().split('\n')[0] || (error as Error).message.split('\n')[0];
        throw new HeicDecodeError(`heif-convert failed: ${reason}`);
      }
      // A file of several top-level images (a burst) is written as out-1.jpg, out-2.jpg, …: the
      // first is the one the WebAssembly decoder takes too.
      const written = await readdir(dir);
      const image = ['out.jpg', 'out-1.jpg'].find((name) => written.includes(name));
      if (!image) throw new HeicDecodeError('heif-convert wrote no image');
      try {
        const { data, info } = await sharp(join(dir, image), {
          limitInputPixels: this.options.maxPixels,
        })
          .raw()
          .toBuffer({ resolveWithObject: true });
        return { width: info.width, height: info.height, channels: info.channels, data };
      } catch (error) {
        throw new HeicDecodeError(
          `reading heif-convert's output failed: ${(error as Error).message}`,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
