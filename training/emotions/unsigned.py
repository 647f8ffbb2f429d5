"""Store the int8 graph's MatMulInteger weights as uint8, so every x86 CPU computes it exactly.

Usage: python training/emotions/unsigned.py src/journeyscope/nlp/model/emotions.onnx

ONNX Runtime's dynamic quantisation stores weights as signed int8 (u8 activations x s8 weights).
On x86 CPUs without VNNI, ONNX Runtime multiplies u8 x s8 with ``VPMADDUBSW``, whose 16-bit
pair sums saturate (ONNX Runtime's quantisation docs), so the same text scored differently on
different machines: a coaching-report test passed on a VNNI machine and failed in CI. With both
operands unsigned it takes an exact widening path on every CPU, and on VNNI CPUs the result is
bit-identical to before. The weights move by 128 and so do their zero points, so
``(a - a_zero) x (w - w_zero)`` is unchanged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

SHIFT = 128


def unsign_matmul_weights(model: onnx.ModelProto) -> int:
    """Rewrite each MatMulInteger's int8 weight and weight zero point as uint8; the count."""
    initializers = {i.name: i for i in model.graph.initializer}
    rewritten = 0
    for node in model.graph.node:
        if node.op_type != "MatMulInteger":
            continue
        for name in (node.input[1], node.input[3]):
            tensor = initializers[name]
            values = numpy_helper.to_array(tensor)
            if values.dtype == np.uint8:
                continue
            shifted = (values.astype(np.int16) + SHIFT).astype(np.uint8)
            tensor.CopyFrom(numpy_helper.from_array(shifted, name))
        rewritten += 1
    return rewritten


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("graph", type=Path)
    args = parser.parse_args()
    model = onnx.load(str(args.graph))
    print("MatMulInteger nodes with unsigned weights:", unsign_matmul_weights(model))
    onnx.save(model, str(args.graph))


if __name__ == "__main__":
    main()
