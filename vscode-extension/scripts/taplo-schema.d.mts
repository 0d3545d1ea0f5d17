export const VALIDATION_KEYWORDS: Set<string>;
export function hintsOnly(schema: unknown): unknown;
