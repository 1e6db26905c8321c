export { readTensor, decodeModel, encodeModel, decodeTensorProto, decodeSequence, decodeOptional, tensorFromProto, OnnxFormatError, ONNX_DTYPES, DTYPE_TO_ONNX } from './proto.js';
export type { ModelProto, GraphProto, NodeProto, TensorProto, AttributeProto, ValueInfoProto, TypeProto, SequenceProto, OptionalProto } from './proto.js';
export { importModel, OnnxImportError, type ImportedModel, type InputInfo } from './import.js';
export { load, InferenceSession, OnnxRunError, type LoadOptions, type OnnxValue } from './session.js';
export { onnxOps, registerOnnxOps } from './ops/index.js';
export { readNpy } from './npy.js';
// torch.onnx.export (packages/onnx/src/export, issue #6): `export` is the PyTorch name
export { exportModel, exportModel as export, registerTracer, OnnxExportError, type ExportOptions, type Tracer, type TracedLike } from './export/index.js';
