"""The shipped emotion graph scores a text the same on every x86 CPU.

Its int8 matrix products take u8 activations; with s8 weights, CPUs without VNNI multiply them
with ``VPMADDUBSW``, whose 16-bit sums saturate, so a turn's valence moved across a probe
threshold between machines (the coaching report's missed probe vanished in CI only). With
unsigned weights every CPU takes an exact path (training/emotions/unsigned.py).
"""

from __future__ import annotations

from importlib.resources import files

import numpy as np
import onnx
from onnx import numpy_helper

MODEL = files("journeyscope.nlp") / "model" / "emotions.onnx"


def test_every_integer_matmul_has_unsigned_weights() -> None:
    graph = onnx.load(str(MODEL)).graph
    initializers = {i.name: i for i in graph.initializer}
    products = [n for n in graph.node if n.op_type == "MatMulInteger"]
    assert products, "the graph is expected to be int8-quantised"
    signed = [
        name
        for node in products
        for name in (node.input[1], node.input[3])
        if numpy_helper.to_array(initializers[name]).dtype != np.uint8
    ]
    assert signed == []
