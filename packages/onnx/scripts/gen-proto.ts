/**
 * Compiles the official ONNX schema (proto/onnx-ml.proto + onnx-data.proto, from onnx 1.12) into
 * a protobufjs JSON descriptor (src/onnx.proto.json) that the runtime decodes with. Regenerate
 * with `pnpm --filter @torchlet/onnx gen` after updating the .proto files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import protobuf from 'protobufjs';

const root = new protobuf.Root();
for (const f of ['onnx-ml.proto', 'onnx-data.proto']) {
  const text = readFileSync(new URL(`../proto/${f}`, import.meta.url), 'utf8').replace(/^import .*$/m, '');
  protobuf.parse(text, root, { keepCase: true });
}
root.resolveAll();
writeFileSync(new URL('../src/onnx.proto.json', import.meta.url), JSON.stringify(root.toJSON(), null, 0) + '\n');
console.log('wrote src/onnx.proto.json');
