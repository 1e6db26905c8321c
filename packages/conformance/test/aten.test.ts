import { describe, expect, it } from 'vitest';
import { coreFiles, runAtenDir } from '../src/aten.js';

// Issue #2's acceptance figure on the OpInfo samples copied into test-models (PyTorch 1.13's outputs).
describe('OpInfo conformance of the core ops', () => {
  it('passes every sample of the issue-2 ops and of the late additions', () => {
    const core = coreFiles();
    const extra = new Set(['nn.functional.unfold', 'zero_', 'fill', 'einsum']);
    const results = runAtenDir('test-models/aten-ops', (f) => core.has(f) || extra.has(f));
    const failing = results.filter((r) => r.passed !== r.total).map((r) => `${r.file}: ${r.passed}/${r.total} ${r.errors[0] ?? ''}`);
    expect(failing).toEqual([]);
    const total = results.reduce((n, r) => n + r.total, 0);
    expect(total).toBeGreaterThan(2000);
  });
});
