/** Runs `check` until it passes or `timeoutMs` is over (then its last failure is thrown): for what settles by itself. */
export async function eventually(check: () => Promise<void>, timeoutMs: number, pollMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
