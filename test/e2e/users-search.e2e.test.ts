import { randomUUID } from 'node:crypto';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import type { Role } from '../../src/users/user.js';
import { UsersRepository } from '../../src/users/users.repository.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

const PASSWORD = 'correct horse battery';

interface Listed {
  id: string;
  email: string;
  name: string;
  role: Role;
}

/** GET /v1/users: finding accounts by email prefix and name word prefix, by role, in pages (issue 18, item 1). */
describe('GET /v1/users', () => {
  let t: TestApp;
  let admin: Account;
  /** Keeps this file's accounts apart from any other (each test file has its own keyspace anyway). */
  const tag = randomUUID().slice(0, 6).replace(/\d/g, 'q');

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.register('admin', 'Root Admin');
  });
  afterAll(() => t.close());

  async function account(email: string, name: string, role: Role = 'customer'): Promise<string> {
    // One account per second, so that "oldest first" is one order (ids break ties of one creation time).
    t.clock.advance(1000);
    const res = await t
      .http()
      .post('/v1/auth/register')
      .send({ email, password: PASSWORD, name, role: role === 'provider' ? 'provider' : 'customer' });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
    const id = res.body.user.id as string;
    if (role !== 'customer' && role !== 'provider') await t.app.get(UsersRepository).setRole(id, role);
    return id;
  }

  const find = (query: Record<string, string | number>, who: { auth: Record<string, string> } = admin) =>
    t.http().get('/v1/users').query(query).set(who.auth);

  /** Every page of a search, following nextCursor. */
  async function all(query: Record<string, string | number>): Promise<{ items: Listed[]; pages: number }> {
    const items: Listed[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await find(cursor ? { ...query, cursor } : query);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
      if (pages > 50) throw new Error('no end to the pages');
    } while (cursor);
    return { items, pages };
  }

  const emails = (items: Listed[]) => items.map((u) => u.email);

  it('is for admins only: 401 without a token, 403 for every other role', async () => {
    expectProblem(await t.http().get('/v1/users'), 401, 'UNAUTHORIZED');
    for (const role of ['customer', 'provider', 'manager'] as const) {
      expectProblem(await find({}, await t.register(role)), 403, 'FORBIDDEN');
    }
    expect((await find({})).status).toBe(200);
  });

  it('finds by email prefix and by the start of any word of the name, normalized as emails are', async () => {
    const ada = await account(`ada-${tag}@example.com`, `Ada ${tag}Lovelace King`);
    const grace = await account(`grace-${tag}@example.org`, `Grace Hopper ${tag}`);
    const byEmail = await find({ query: `ADA-${tag}@EX` });
    expect(byEmail.body.items.map((u: Listed) => u.id)).toEqual([ada]);
    expect(byEmail.body.items[0]).toEqual({
      id: ada,
      email: `ada-${tag}@example.com`,
      name: `Ada ${tag}Lovelace King`,
      role: 'customer',
      createdAt: expect.any(String),
    });
    // A later word, several words, fullwidth letters and odd spacing all find the same account.
    const fullwidth = [...`${tag}lovelace`].map((c) =>
      /[a-z]/.test(c) ? String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41) : c,
    );
    for (const query of [`${tag}love`, `${tag}LOVELACE   king`, fullwidth.join(''), `  ${tag}lovelace k `]) {
      expect({ query, ids: (await find({ query })).body.items.map((u: Listed) => u.id) }).toEqual({
        query,
        ids: [ada],
      });
    }
    expect((await find({ query: `hopper ${tag}` })).body.items.map((u: Listed) => u.id)).toEqual([grace]);
    // Not the middle of a word, nor of an email.
    for (const query of [`${tag}ovelace`, `race-${tag}`, `${tag}@example`]) {
      expect({ query, items: (await find({ query })).body.items }).toEqual({ query, items: [] });
    }
  });

  it('lists an account matching by email and by name once', async () => {
    const id = await account(`twice${tag}@example.com`, `Twice${tag} Twice${tag}son`);
    const { items } = await all({ query: `twice${tag}`, limit: 1 });
    expect(items.map((u) => u.id)).toEqual([id]);
  });

  it('filters by role; without a query lists every account of it, oldest first', async () => {
    const p1 = await account(`prov1-${tag}@example.com`, 'Dr Who', 'provider');
    const m1 = await account(`mgr1-${tag}@example.com`, 'Dr Who', 'manager');
    const p2 = await account(`prov2-${tag}@example.com`, 'Dr Who', 'provider');
    expect((await all({ query: 'dr who', role: 'provider' })).items.map((u) => u.id)).toEqual([p1, p2]);
    expect((await all({ query: 'dr who', role: 'manager' })).items.map((u) => u.id)).toEqual([m1]);
    expect((await all({ query: 'dr who', role: 'admin' })).items).toEqual([]);
    const providers = (await all({ role: 'provider', limit: 1 })).items;
    expect(providers.every((u) => u.role === 'provider')).toBe(true);
    expect(providers.map((u) => u.id)).toEqual(expect.arrayContaining([p1, p2]));
    expect(providers.map((u) => u.id).indexOf(p1)).toBeLessThan(providers.map((u) => u.id).indexOf(p2));
    // Without role or query: every account of every role, each once.
    const everyone = (await all({ limit: 3 })).items.map((u) => u.id);
    expect(new Set(everyone).size).toBe(everyone.length);
    expect(everyone).toEqual(expect.arrayContaining([admin.id, p1, p2, m1]));
  });

  it('pages with an opaque cursor: every match once, in a stable order, whatever the page size', async () => {
    const ids = [];
    for (let i = 0; i < 7; i++) ids.push(await account(`page${i}-${tag}@example.com`, `Pager${tag} Number${i}`));
    const one = await all({ query: `pager${tag}`, limit: 1 });
    expect(one.items.map((u) => u.id).sort()).toEqual([...ids].sort());
    for (const limit of [2, 3, 7, 100]) {
      const { items } = await all({ query: `pager${tag}`, limit });
      expect({ limit, emails: emails(items) }).toEqual({ limit, emails: emails(one.items) });
    }
    expect(one.pages).toBe(7);
    // By email as well, in email order.
    expect(emails((await all({ query: `page`, limit: 2 })).items)).toEqual(
      Array.from({ length: 7 }, (_, i) => `page${i}-${tag}@example.com`),
    );
  });

  it('refuses a cursor of another query or role, or a forged one, with 400', async () => {
    await account(`cur1-${tag}@example.com`, 'Cursor One');
    await account(`cur2-${tag}@example.com`, 'Cursor Two');
    const first = await find({ query: 'cur', limit: 1 });
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    expectProblem(await find({ query: 'cursor', limit: 1, cursor }), 400, 'VALIDATION_FAILED');
    expectProblem(await find({ query: 'cur', role: 'customer', limit: 1, cursor }), 400, 'VALIDATION_FAILED');
    expectProblem(await find({ query: 'cur', limit: 1, cursor: `${cursor}x` }), 400, 'VALIDATION_FAILED');
    expect((await find({ query: 'cur', limit: 1, cursor })).status).toBe(200);
  });

  it('refuses bad input with 400 problem+json and stores nothing', async () => {
    const before = await t.storedKeys();
    const bad: Record<string, string | number>[] = [
      { role: 'superuser' },
      { limit: 0 },
      { limit: 101 },
      { limit: 'ten' },
      { query: 'x'.repeat(101) },
      { query: 'ada\u202e' },
      { cursor: 'not-a-cursor' },
      { sort: 'email' },
    ];
    for (const query of bad) {
      expectProblem(await find(query), 400, 'VALIDATION_FAILED');
    }
    expectProblem(await t.http().get('/v1/users?query=a&query=b').set(admin.auth), 400, 'VALIDATION_FAILED');
    expect(await t.storedKeys()).toEqual(before);
  });

  it('follows role changes, also when they race: each account is found once, under its final role', async () => {
    const ids = await Promise.all([1, 2, 3].map((n) => account(`mover${n}-${tag}@example.com`, `Mover${n} ${tag}`)));
    const roles: Role[] = ['provider', 'manager', 'customer', 'provider', 'manager', 'admin', 'customer', 'manager'];
    const answers = await Promise.all(
      ids.flatMap((id) => roles.map((role) => t.http().patch(`/v1/users/${id}`).set(admin.auth).send({ role }))),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    for (const [n, id] of ids.entries()) {
      const final = (await t.http().get(`/v1/users/${id}`).set(admin.auth)).body.role as Role;
      expect((await all({ query: `mover${n + 1} ${tag}` })).items.map((u) => [u.id, u.role])).toEqual([[id, final]]);
      for (const role of ['customer', 'provider', 'manager', 'admin'] as const) {
        const searched = (await all({ query: `mover${n + 1}-${tag}`, role })).items.map((u) => u.id);
        const listed = (await all({ role, limit: 100 })).items.map((u) => u.id).filter((x) => x === id);
        expect({ role, searched, listed }).toEqual({
          role,
          searched: role === final ? [id] : [],
          listed: role === final ? [id] : [],
        });
      }
    }
    // Nothing left behind in a former role's index either.
    const report = await new IntegrityChecker(t.redis, INTEGRITY_CHECKS, { now: () => t.clock.now() }).run();
    expect(report.findings.filter((f) => f.invariant.startsWith('user-search'))).toEqual([]);
  });

  it('costs the same few commands per page with 3 accounts or 60, and never scans the keyspace', async () => {
    const count = async (query: string) => {
      let res;
      const commands = await t.commandsDuring(async () => (res = await find({ query, limit: 2 })));
      return { commands, items: res!.body.items.length };
    };
    for (let i = 0; i < 3; i++) await account(`few${i}-${tag}@example.com`, 'Few');
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => account(`many${String(i).padStart(2, '0')}-${tag}@example.com`, 'Many')),
    );
    const few = await count(`few`);
    const many = await count(`many`);
    expect(few.items).toBe(2);
    expect(many.items).toBe(2);
    expect(many.commands.length).toBe(few.commands.length);
    expect(many.commands.length).toBeLessThanOrEqual(4 + 3);
    expect(many.commands.filter((c) => ['scan', 'keys'].includes(c))).toEqual([]);
  });
});
