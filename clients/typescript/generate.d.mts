/** The TypeScript types of openapi.yaml, as the committed src/schema.ts should read. */
export function generateSchema(): Promise<string>;
