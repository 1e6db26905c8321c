#!/usr/bin/python3
"""Fixtures for packages/onnx/test: TensorProtos of every dtype (raw and typed fields) with their
values as JSON, and a model whose weights live in an external data file.

Usage: /usr/bin/python3 packages/onnx/scripts/make-fixtures.py test-models/onnx/fixtures
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(os.path.join(out, "tensors"), exist_ok=True)
rng = np.random.default_rng(0)
cases = {
    "FLOAT": (TensorProto.FLOAT, rng.standard_normal((2, 3)).astype(np.float32)),
    "DOUBLE": (TensorProto.DOUBLE, rng.standard_normal((3,)).astype(np.float64)),
    "FLOAT16": (TensorProto.FLOAT16, np.array([1.5, -2.25, 65504, 6e-8, 0.1], dtype=np.float16)),
    "UINT8": (TensorProto.UINT8, np.array([0, 7, 255], dtype=np.uint8)),
    "INT8": (TensorProto.INT8, np.array([-128, 0, 127], dtype=np.int8)),
    "UINT16": (TensorProto.UINT16, np.array([0, 65535, 3], dtype=np.uint16)),
    "INT16": (TensorProto.INT16, np.array([-32768, 5, 32767], dtype=np.int16)),
    "INT32": (TensorProto.INT32, np.array([[-2147483648, 1], [2, 2147483647]], dtype=np.int32)),
    "UINT32": (TensorProto.UINT32, np.array([0, 4294967295], dtype=np.uint32)),
    "INT64": (TensorProto.INT64, np.array([-(2**53), -1, 0, 2**53], dtype=np.int64)),
    "UINT64": (TensorProto.UINT64, np.array([0, 2**53], dtype=np.uint64)),
    "BOOL": (TensorProto.BOOL, np.array([True, False, True])),
    "SCALAR": (TensorProto.FLOAT, np.array(3.5, dtype=np.float32)),
    "EMPTY": (TensorProto.FLOAT, np.zeros((0, 4), dtype=np.float32)),
}
expected = {}
for name, (code, arr) in cases.items():
    raw = numpy_helper.from_array(arr, name=name)
    with open(os.path.join(out, "tensors", f"{name}.raw.pb"), "wb") as f:
        f.write(raw.SerializeToString())
    # make_tensor stores FLOAT16 values as their bit patterns in int32_data
    typed = helper.make_tensor(name, code, arr.shape, arr.flatten().tolist())
    with open(os.path.join(out, "tensors", f"{name}.typed.pb"), "wb") as f:
        f.write(typed.SerializeToString())
    expected[name] = {"shape": list(arr.shape), "values": [float(v) for v in arr.astype(np.float64).flatten()]}
# bfloat16: the top 16 bits of float32 values that bfloat16 represents exactly
bf = np.array([1.0, -2.5, 3.140625], dtype=np.float32)
bits = (bf.view(np.uint32) >> 16).astype(np.uint16)
t = TensorProto(name="BFLOAT16", data_type=TensorProto.BFLOAT16, dims=[3], raw_data=bits.tobytes())
open(os.path.join(out, "tensors", "BFLOAT16.raw.pb"), "wb").write(t.SerializeToString())
t = TensorProto(name="BFLOAT16", data_type=TensorProto.BFLOAT16, dims=[3], int32_data=bits.astype(np.int32).tolist())
open(os.path.join(out, "tensors", "BFLOAT16.typed.pb"), "wb").write(t.SerializeToString())
expected["BFLOAT16"] = {"shape": [3], "values": bf.astype(np.float64).tolist()}
with open(os.path.join(out, "tensors", "expected.json"), "w") as f:
    json.dump(expected, f)

# a model with external data: y = x @ W + b
w = rng.standard_normal((4, 3)).astype(np.float32)
b = rng.standard_normal((3,)).astype(np.float32)
x = rng.standard_normal((2, 4)).astype(np.float32)
graph = helper.make_graph(
    [helper.make_node("MatMul", ["x", "W"], ["xw"]), helper.make_node("Add", ["xw", "b"], ["y"])],
    "external", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
    [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "b")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
d = os.path.join(out, "external")
os.makedirs(d, exist_ok=True)
onnx.save_model(model, os.path.join(d, "model.onnx"), save_as_external_data=True, all_tensors_to_one_file=True,
                location="weights.bin", size_threshold=0)
np.save(os.path.join(d, "input_0.npy"), x)
np.save(os.path.join(d, "output_0.npy"), x @ w + b)
print("ok")
