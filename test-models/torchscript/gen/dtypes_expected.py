"""Writes ../cases/dtypes_expected.json: every parameter/buffer of samples/dtypes_scripted.pt as PyTorch sees it."""
import json, os
import torch
here = os.path.dirname(os.path.abspath(__file__))
m = torch.jit.load(os.path.join(here, '..', 'samples', 'dtypes_scripted.pt'))
out = {}
for name, t in list(m.named_parameters()) + list(m.named_buffers()):
    v = t.detach()
    if v.is_complex():
        data = torch.view_as_real(v).tolist()
    else:
        data = v.float().tolist() if v.dtype == torch.bfloat16 else v.tolist()
    out[name] = {"dtype": str(v.dtype).replace('torch.', ''), "shape": list(v.shape), "stride": list(v.stride()),
                 "offset": v.storage_offset(), "requires_grad": t.requires_grad, "data": data}
out['__order__'] = {"parameters": [n for n, _ in m.named_parameters()], "buffers": [n for n, _ in m.named_buffers()]}
with open(os.path.join(here, '..', 'cases', 'dtypes_expected.json'), 'w') as f:
    json.dump(out, f)
print('ok')
