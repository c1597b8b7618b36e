import type { SectionContext, SectionResult } from './run.js';
export async function benchPoll(_ctx: SectionContext): Promise<SectionResult> { return { rows: [] }; }
