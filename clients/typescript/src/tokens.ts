/** What a signed-in client keeps between calls (and, with a persistent store, between page loads). */
export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Where the tokens live. Synchronous so that every request reads the newest pair (localStorage is synchronous). */
export interface TokenStore {
  load(): Tokens | null;
  save(tokens: Tokens | null): void;
}

export class MemoryTokenStore implements TokenStore {
  private tokens: Tokens | null = null;
  load(): Tokens | null {
    return this.tokens;
  }
  save(tokens: Tokens | null): void {
    this.tokens = tokens;
  }
}

/** A store over the Web Storage API (`localStorage`: the session survives a reload; `sessionStorage`: one tab). */
export class WebStorageTokenStore implements TokenStore {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly key = 'booking-service.session',
  ) {}
  load(): Tokens | null {
    const raw = this.storage.getItem(this.key);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<Tokens>;
      return parsed.accessToken && parsed.refreshToken
        ? { accessToken: parsed.accessToken, refreshToken: parsed.refreshToken }
        : null;
    } catch {
      return null;
    }
  }
  save(tokens: Tokens | null): void {
    if (tokens) this.storage.setItem(this.key, JSON.stringify(tokens));
    else this.storage.removeItem(this.key);
  }
}
