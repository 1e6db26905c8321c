/** The OpInfo conformance runner as a library (the CLI is src/cli.ts: `pnpm conformance aten|onnx`). */
export * from './aten.js';
