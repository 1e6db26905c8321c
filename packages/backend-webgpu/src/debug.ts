/**
 * `TORCHLET_DEBUG` (environment variable in Node, or `globalThis.TORCHLET_DEBUG` in a browser) is a
 * comma-separated list of topics: `webgpu` prints the generated WGSL once per pipeline,
 * `webgpu-errors` prints shader compilation errors with their source.
 */
export function debugEnabled(topic: string): boolean {
  const g = globalThis as { TORCHLET_DEBUG?: string; process?: { env?: Record<string, string | undefined> } };
  const v = g.TORCHLET_DEBUG ?? g.process?.env?.TORCHLET_DEBUG;
  if (!v) return false;
  return v.split(',').map((s) => s.trim()).includes(topic);
}
