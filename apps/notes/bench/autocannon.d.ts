// The part of autocannon 8's API the benchmark uses (the package ships no types, and
// @types/autocannon would be one more root devDependency for a script).
declare module 'autocannon' {
  namespace autocannon {
    type Context = Record<string, unknown>;
    interface RawRequest {
      method?: string;
      path?: string;
      body?: string;
      headers?: Record<string, string>;
    }
    interface Request extends RawRequest {
      setupRequest?: (request: RawRequest, context: Context) => RawRequest;
      onResponse?: (status: number, body: string, context: Context) => void;
    }
    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      headers?: Record<string, string>;
      requests?: Request[];
    }
    interface Result {
      duration: number;
      non2xx: number;
      errors: number;
      statusCodeStats: Record<string, { count: number | string }>;
    }
    interface Instance extends PromiseLike<Result> {
      on(
        event: 'response',
        listener: (client: unknown, status: number, bytes: number, time: number) => void,
      ): this;
    }
  }
  function autocannon(options: autocannon.Options): autocannon.Instance;
  export default autocannon;
}
