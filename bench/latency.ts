import type { SectionContext, SectionResult } from './run.js';
export async function benchLatency(_ctx: SectionContext): Promise<SectionResult> { return { rows: [] }; }
