export const HOW_TO_BUILD: string;
export function pinnedRequirements(text: string): Array<{ name: string; version: string }>;
export function bundledProblems(extDir: string, repoDir: string): string[];
