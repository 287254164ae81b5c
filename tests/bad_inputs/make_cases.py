#!/usr/bin/env python3
"""Writes the bad-input corpus: base/ (a tiny hand-written model) and
cases/<name>/case.txt (+ the files that differ from base/). The output is
committed; run this again after changing it:

    python3 tests/bad_inputs/make_cases.py [--cli build/ncnn2int8]

--cli is only needed for the case that starts from an already-int8 model
(made by quantizing base/ once). See run_bad_inputs.sh for the case format.
"""
import argparse
import math
import os
import random
import shutil
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(HERE, "base")
CASES = os.path.join(HERE, "cases")

# 6 layers, 6 blobs. Byte layout of model.bin (tag = 4 bytes, values fp32):
#   conv1   tag 0..4   weight 4..436    bias 436..452
#   conv_dw tag 452..456 weight 456..600 bias 600..616
#   conv2   tag 616..620 weight 620..748 bias 748..780
#   fc      tag 780..784 weight 784..5904 bias 5904..5944
LAYERS = [
    # type, name, bottoms, tops, params, (rows, per_row) or None, bias count
    ("Input", "data", [], ["data"], "0=4 1=4 2=3", None, 0),
    ("Convolution", "conv1", ["data"], ["conv1"], "0=4 1=3 4=1 5=1 6=108", (4, 27), 4),
    ("ReLU", "relu1", ["conv1"], ["relu1"], "", None, 0),
    ("ConvolutionDepthWise", "conv_dw", ["relu1"], ["conv_dw"], "0=4 1=3 4=1 5=1 6=36 7=4", (4, 9), 4),
    ("Convolution", "conv2", ["conv_dw"], ["conv2"], "0=8 1=1 5=1 6=32", (8, 4), 8),
    ("InnerProduct", "fc", ["conv2"], ["fc"], "0=10 1=1 2=1280", (10, 128), 10),
]
INPUT_SCALES = {"conv1": 25.5, "conv_dw": 17.25, "conv2": 12.125, "fc": 9.5}


def param_text(layers=LAYERS, header=None, rename=None):
    rename = rename or {}
    n = lambda s: rename.get(s, s)
    blobs = set()
    for _, _, b, t, _, _, _ in layers:
        blobs.update(b)
        blobs.update(t)
    lines = ["7767517", header or "%d %d" % (len(layers), len(blobs))]
    for typ, name, bottoms, tops, params, _, _ in layers:
        line = "%s %s %d %d" % (typ, n(name), len(bottoms), len(tops))
        for b in bottoms + tops:
            line += " " + n(b)
        if params:
            line += " " + params
        lines.append(line)
    return "\n".join(lines) + "\n"


def make_weights():
    rng = random.Random(7)
    weights = {}
    for _, name, _, _, _, shape, bias in LAYERS:
        if not shape:
            continue
        rows, per_row = shape
        w = [[round(rng.uniform(-1, 1), 4) for _ in range(per_row)] for _ in range(rows)]
        b = [round(rng.uniform(-0.5, 0.5), 4) for _ in range(bias)]
        weights[name] = (w, b)
    return weights


def bin_bytes(weights):
    out = b""
    for _, name, _, _, _, shape, _ in LAYERS:
        if not shape:
            continue
        w, b = weights[name]
        flat = [v for row in w for v in row]
        out += struct.pack("<I", 0) + struct.pack("<%df" % len(flat), *flat) + struct.pack("<%df" % len(b), *b)
    return out


def table_text(weights, rename=None, sep=" ", eol="\n"):
    rename = rename or {}
    lines = []
    for name, (w, _) in weights.items():
        scales = ["%f" % (127.0 / max(abs(v) for v in row)) for row in w]
        lines.append(sep.join([rename.get(name, name) + "_param_0"] + scales))
    for name, s in INPUT_SCALES.items():
        lines.append(sep.join([rename.get(name, name), "%f" % s]))
    return eol.join(lines) + eol


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


MAKE_MANY_LAYERS = """import sys
n = 100001
with open(sys.argv[1] + "/model.param", "w") as f:
    f.write("7767517\\n%d %d\\nInput data 0 1 data\\n" % (n, n))
    for i in range(1, n):
        f.write("ReLU r%d 1 1 %s b%d\\n" % (i, "data" if i == 1 else "b%d" % (i - 1), i))
"""

MAKE_WIDE_CONVS = """import struct, sys
n = 20000
d = sys.argv[1]
with open(d + "/model.param", "w") as f:
    f.write("7767517\\n%d %d\\nInput data 0 1 data\\n" % (n + 1, n + 1))
    for i in range(n):
        f.write("Convolution c%d 1 1 data t%d 0=1 1=1 6=1\\n" % (i, i))
with open(d + "/model.bin", "wb") as f:
    f.write(struct.pack("<If", 0, 0.5) * n)
with open(d + "/model.table", "w") as f:
    f.write("".join("c%d_param_0 100.0\\n" % i for i in range(n)))
    f.write("".join("c%d 10.0\\n" % i for i in range(n)))
"""

WITH_TABLE = "IN/model.param IN/model.bin OUT/model.param OUT/model.bin IN/model.table"
NO_TABLE = "IN/model.param IN/model.bin OUT/model.param OUT/model.bin"


def case(name, what, expect, args=WITH_TABLE, files=None, ops=(), stderr=(), compare=None):
    """expect: 1 (an error) or 0 (must work). compare: 'base' = output identical
    to base/'s with the same arguments; 'names OLD=NEW ...' = identical but for
    the renamed layers (blanks collapsed in the .param)."""
    d = os.path.join(CASES, name)
    lines = ["# " + what, "args: " + args, "exit: %d" % expect]
    lines += ["stderr: " + s for s in stderr]
    lines += ["op: " + o for o in ops]
    if compare:
        lines.append("compare: " + compare)
    write(os.path.join(d, "case.txt"), "\n".join(lines) + "\n")
    for fname, data in (files or {}).items():
        write(os.path.join(d, fname), data)


def replace_line(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=os.path.join(HERE, "..", "..", "build", "ncnn2int8"))
    cli = ap.parse_args().cli

    weights = make_weights()
    base_param, base_bin, base_table = param_text(), bin_bytes(weights), table_text(weights)
    assert len(base_bin) == 5944, len(base_bin)
    shutil.rmtree(BASE, ignore_errors=True)
    shutil.rmtree(CASES, ignore_errors=True)
    write(os.path.join(BASE, "model.param"), base_param)
    write(os.path.join(BASE, "model.bin"), base_bin)
    write(os.path.join(BASE, "model.table"), base_table)

    # ---- works: the base model itself, with and without a table
    case("base-with-table", "the base model quantizes", 0, compare="base")
    case("base-without-table", "the base model without a table: nothing to quantize, weights fp16", 0, args=NO_TABLE, compare="base")

    # ---- .bin
    case("bin-truncated-in-tag", ".bin cut inside conv1's tag", 1, ops=["truncate model.bin 2"],
         stderr=["model.bin: truncated", "Convolution 'conv1'", "weight_data"])
    case("bin-truncated-in-data", ".bin cut inside conv1's weights", 1, ops=["truncate model.bin 200"],
         stderr=["model.bin: truncated", "Convolution 'conv1' weight blob weight_data", "offset 0"])
    case("bin-truncated-in-raw-bias", ".bin cut inside conv1's raw (untagged) bias", 1, ops=["truncate model.bin 440"],
         stderr=["model.bin: truncated", "Convolution 'conv1' weight blob bias_data", "offset 436"])
    case("bin-truncated-in-later-tag", ".bin cut inside conv_dw's tag", 1, ops=["truncate model.bin 454"],
         stderr=["model.bin: truncated", "ConvolutionDepthWise 'conv_dw'", "offset 452"])
    case("bin-truncated-last-value", ".bin missing the last 4 bytes (fc's bias)", 1, ops=["truncate model.bin 5940"],
         stderr=["model.bin: truncated", "InnerProduct 'fc' weight blob bias_data"])
    case("bin-too-long", ".bin with 4 bytes more than the .param needs", 1, ops=["append model.bin 00000000"],
         stderr=["model.bin: 4 bytes are left", "InnerProduct 'fc'"])
    case("bin-much-too-long", ".bin with 1000 bytes of junk appended", 1, ops=["append model.bin " + "ab" * 1000],
         stderr=["model.bin: 1000 bytes are left"])
    case("bin-bad-tag", "conv1's tag replaced by junk (0xDEADBEEF): read as a lookup table, so sizes stop matching", 1,
         ops=["patch model.bin 0 efbeadde"], stderr=["model.bin", "unusual tag 0xDEADBEEF", "Convolution 'conv1'"])
    case("bin-empty", "an empty .bin", 1, files={"model.bin": b""},
         stderr=["model.bin: truncated", "Convolution 'conv1'"])
    case("bin-binary-junk", "random bytes of the right size as the .bin", 1,
         files={"model.bin": random.Random(3).randbytes(len(base_bin))}, stderr=["model.bin"])
    case("bin-is-directory", "a directory where the .bin should be", 1, ops=["dir model.bin"],
         stderr=["model.bin: is a directory"])
    case("bin-missing", "the .bin does not exist", 1, ops=["remove model.bin"],
         stderr=["model.bin: cannot open"])
    case("bin-null", "IN.bin given as null (the reference's random weights)", 1,
         args="IN/model.param null OUT/model.param OUT/model.bin IN/model.table", stderr=["null"])

    # ---- .param: structure
    case("param-wrong-magic", "first line is not 7767517", 1,
         files={"model.param": base_param.replace("7767517", "7767518", 1)}, stderr=["model.param:1:", "magic number 7767517"])
    case("param-layer-count-too-high", "header declares 7 layers, the file has 6", 1,
         files={"model.param": replace_line(base_param, "\n6 6\n", "\n7 6\n")}, stderr=["model.param:2:", "declares 7 layers but the file has 6"])
    case("param-layer-count-too-low", "header declares 5 layers, the file has 6", 1,
         files={"model.param": replace_line(base_param, "\n6 6\n", "\n5 6\n")}, stderr=["model.param:2:", "declares 5 layers but the file has 6"])
    case("param-blob-count-mismatch", "header declares 9 blobs, the layers use 6", 1,
         files={"model.param": replace_line(base_param, "\n6 6\n", "\n6 9\n")}, stderr=["model.param:2:", "declares 9 blobs but the layers use 6"])
    case("param-header-negative", "header with a negative layer count", 1,
         files={"model.param": replace_line(base_param, "\n6 6\n", "\n-6 6\n")}, stderr=["model.param:2:", "must be positive"])
    case("param-header-missing", "only the magic line", 1, files={"model.param": "7767517\n"},
         stderr=["model.param: has no layer/blob count line"])
    case("param-duplicate-top", "two layers produce a blob of the same name (ncnn connects every reader to the first one): refused", 1,
         files={"model.param": replace_line(base_param, "relu1 1 1 conv1 relu1", "relu1 1 1 conv1 data")
                .replace("1 1 relu1 conv_dw", "1 1 data conv_dw").replace("\n6 6\n", "\n6 6\n")},
         stderr=["model.param:5:", "ReLU 'relu1'", "output blob 'data' is already an output of Input 'data' (line 3)"])
    case("param-in-place-layer", "a layer whose output has its input's name (in-place naming, unreachable in ncnn): refused", 1,
         files={"model.param": replace_line(base_param, "relu1 1 1 conv1 relu1", "relu1 1 1 conv1 conv1")
                .replace("1 1 relu1 conv_dw", "1 1 conv1 conv_dw").replace("\n6 6\n", "\n6 5\n")},
         stderr=["model.param:5:", "ReLU 'relu1'", "output blob 'conv1' is already an output of Convolution 'conv1'"])
    unproduced = replace_line(base_param, "1 1 relu1 conv_dw", "1 1 external conv_dw").replace("\n6 6\n", "\n6 7\n")
    case("param-unproduced-bottom", "an input blob no layer produces is allowed, as in ncnn (it becomes a model input); the weights are untouched", 0,
         files={"model.param": unproduced}, compare="bin")
    case("param-layer-without-outputs", "a layer with no outputs and the empty shape hint -23330=0 the reference writes for it:"
         " read as no hint (it was refused, so the tool could not read its own output)", 0,
         files={"model.param": base_param.replace("\n6 6\n", "\n7 6\n") + "Noop sink 1 0 fc -23330=0\n"}, compare="bin")
    case("param-too-few-blob-names", "a layer declares 1 input and 1 output but names only one blob", 1,
         files={"model.param": replace_line(base_param, "relu1 1 1 conv1 relu1", "relu1 1 1 conv1")},
         stderr=["model.param:5:", "ReLU 'relu1' declares 1 inputs and 1 outputs but names only 1 blobs"])
    case("param-bottom-count-huge", "a bottom count of 99999999", 1,
         files={"model.param": replace_line(base_param, "relu1 1 1 conv1", "relu1 99999999 1 conv1")},
         stderr=["model.param:5:", "layer 'relu1': bad input count '99999999'"])
    case("param-top-count-negative", "a negative top count", 1,
         files={"model.param": replace_line(base_param, "relu1 1 1 conv1", "relu1 1 -1 conv1")},
         stderr=["model.param:5:", "bad output count '-1'"])
    case("param-array-count-huge", "an array param declaring 99999999 values", 1,
         files={"model.param": replace_line(base_param, "6=108", "6=108 -23320=99999999,1,2")},
         stderr=["model.param:4:", "has 99999999 values; the limit is 1048576"])
    case("param-array-count-wrong", "an array param declaring 3 values, giving 2", 1,
         files={"model.param": replace_line(base_param, "6=108", "6=108 -23320=3,1,2")},
         stderr=["model.param:4:", "declares 3 values but has 2"])
    case("param-value-too-long", "a value longer than the 15 characters ncnn reads", 1,
         files={"model.param": replace_line(base_param, "6=108", "6=0000000000000000108")},
         stderr=["model.param:4:", "longer than the 15 characters"])
    case("param-int-overflow", "an integer beyond int32", 1,
         files={"model.param": replace_line(base_param, "6=108", "6=2147483648")},
         stderr=["model.param:4:", "'2147483648' is not an integer"])
    case("param-float-overflow", "a float literal that overflows to inf (ncnn reads it, but no writer can print it back)", 1,
         files={"model.param": replace_line(base_param, "relu1 1 1 conv1 relu1", "relu1 1 1 conv1 relu1 0=1e39")},
         stderr=["model.param:5:", "ReLU 'relu1': param 0 (slope) is not a finite number"])
    case("param-huge-exponents", "float values with 10-digit exponents (1e-4294967295), 2000 of them in an array ncnn's ReLU does not read:"
         " parsed at once (each took half a second before the fix), dropped with a warning", 0,
         files={"model.param": replace_line(base_param, "relu1 1 1 conv1 relu1", "relu1 1 1 conv1 relu1 0=0e-4294967295 9=" + ",".join(["1e-4294967295"] * 2000))},
         stderr=["warning", "param 9 is not read by ncnn's ReLU"], compare="base")
    case("param-string-with-quote", "a string param holding a '\"' (ncnn reads it unquoted, but it can only be written back quoted)", 1,
         files={"model.param": base_param.replace("\n6 6\n", "\n7 7\n") + "Reshape rs 1 1 fc rs 6=a\"b\n"},
         stderr=["model.param:9:", "string param 6 holds a '\"'"])
    case("param-name-too-long", "a layer name over ncnn's 255 characters", 1,
         files={"model.param": replace_line(base_param, "relu1 1 1", "r" * 300 + " 1 1")},
         stderr=["model.param:5:", "longer than ncnn's 255 characters"])

    # ---- .param: sizes
    case("param-num-output-negative", "Convolution num_output=-1", 1,
         files={"model.param": replace_line(base_param, "0=4 1=3 4=1 5=1 6=108", "0=-1 1=3 4=1 5=1 6=108")},
         stderr=["model.param:4:", "Convolution 'conv1'"])
    case("param-weight-size-int-max", "weight_data_size=2147483647 with the 6 KB .bin: refused before any allocation", 1,
         files={"model.param": replace_line(base_param, "6=108", "6=2147483647")},
         stderr=["model.bin: truncated", "Convolution 'conv1' weight blob weight_data (2147483647 values)"])
    case("param-weight-size-2e9", "weight_data_size=2000000000 with the 6 KB .bin: refused before any allocation", 1,
         files={"model.param": replace_line(base_param, "2=1280", "2=2000000000")},
         stderr=["model.bin: truncated", "InnerProduct 'fc' weight blob weight_data (2000000000 values)"])
    case("param-weight-size-negative", "weight_data_size=-108", 1,
         files={"model.param": replace_line(base_param, "6=108", "6=-108")},
         stderr=["model.param:4:", "Convolution 'conv1'", "weight_data"])
    case("param-weight-size-zero", "weight_data_size=0", 1,
         files={"model.param": replace_line(base_param, "6=108", "6=0")},
         stderr=["model.param:4:", "Convolution 'conv1'", "0 values"])
    case("param-kernel-product-overflow", "kernel 65536 x 65536 (the product overflows int32) for a quantized conv", 1,
         files={"model.param": replace_line(base_param, "0=4 1=3 4=1 5=1 6=108", "0=4 1=65536 4=1 5=1 6=108")},
         stderr=["model.param:4:", "Convolution 'conv1'", "weight_data_size 108 is not num_output (4) x kernel (65536x65536)"])
    case("param-kernel-int-max", "kernel 2147483647 x 2147483647 with num_output 2147483647, int8 flag set (stored scales)", 1,
         files={"model.param": replace_line(base_param, "0=4 1=3 4=1 5=1 6=108", "0=2147483647 1=2147483647 4=1 5=0 6=108 8=1")},
         stderr=["Convolution 'conv1'"])
    case("param-weight-size-inconsistent", "weight_data_size 108 is not num_output 4 x kernel 5x5 x inputs (quantized conv)", 1,
         files={"model.param": replace_line(base_param, "0=4 1=3 4=1 5=1 6=108", "0=4 1=5 4=1 5=1 6=108")},
         stderr=["model.param:4:", "Convolution 'conv1': weight_data_size 108 is not num_output (4) x kernel (5x5) x inputs"])

    # ---- limits (inputs written at test time: too big to commit)
    case("limits-too-many-layers", "100,001 layers: over the 100,000 limit, refused while splitting lines", 1,
         files={"make.py": MAKE_MANY_LAYERS}, ops=["python make.py"], stderr=["model.param: more than 100000 layers"])
    case("limits-many-layers-fusion-search", "20,000 int8 convolutions whose outputs nobody reads: the requantize"
         " search was quadratic (9 s here, hours at the layer limit), now linear", 0,
         files={"make.py": MAKE_WIDE_CONVS}, ops=["python make.py"])

    # ---- .param: text
    case("param-empty", "an empty .param", 1, files={"model.param": ""}, stderr=["model.param: is empty"])
    case("param-blank", "a .param of blank lines", 1, files={"model.param": "\n  \n\t\n"}, stderr=["model.param: is empty"])
    case("param-binary-junk", "random bytes as the .param", 1,
         files={"model.param": random.Random(1).randbytes(600)}, stderr=["model.param"])
    case("param-text-junk", "text that is not a .param", 1,
         files={"model.param": "hello world\nthis is not a model\n"}, stderr=["model.param:1:", "magic number"])
    case("param-is-directory", "a directory where the .param should be", 1, ops=["dir model.param"],
         stderr=["model.param: is a directory"])
    case("param-missing", "the .param does not exist", 1, ops=["remove model.param"], stderr=["model.param: cannot open"])
    case("param-crlf", "CRLF line ends in the .param", 0,
         files={"model.param": base_param.replace("\n", "\r\n")}, compare="base")
    case("param-trailing-spaces", "trailing spaces and tabs on every .param line", 0,
         files={"model.param": base_param.replace("\n", "  \t\n")}, compare="base")
    case("param-crlf-trailing-spaces", "CRLF and trailing spaces together", 0,
         files={"model.param": base_param.replace("\n", " \r\n")}, compare="base")
    case("param-no-final-newline", "no newline after the last .param line", 0,
         files={"model.param": base_param.rstrip("\n")}, compare="base")
    case("param-blank-lines", "blank lines between .param lines", 0,
         files={"model.param": base_param.replace("\n", "\n\n")}, compare="base")
    utf8 = {"conv1": "свёртка_1", "fc": "全连接层", "conv_dw": "dw_ü"}
    case("utf8-layer-names", "non-ASCII (UTF-8) layer and blob names in the .param and the table", 0,
         files={"model.param": param_text(rename=utf8), "model.table": table_text(weights, rename=utf8)},
         compare="names " + " ".join("%s=%s" % kv for kv in utf8.items()))

    # ---- table
    t = base_table
    # An empty table is accepted, as the reference accepts it (the conformance corpus has one):
    # a warning, and the model comes out as without a table but for RNN-like layers.
    case("table-empty", "an empty table: accepted with a warning, nothing quantized from it", 0, files={"model.table": ""},
         stderr=["warning", "model.table: the table is empty"])
    case("table-blank", "a table of blank lines: accepted with a warning, nothing quantized from it", 0, files={"model.table": "\n\n \n"},
         stderr=["warning", "model.table: the table is empty"])
    case("table-binary-junk", "random bytes as the table", 1,
         files={"model.table": random.Random(2).randbytes(500) + b"\0"}, stderr=["model.table: contains binary data"])
    case("table-text-junk", "text that is not a table", 1,
         files={"model.table": "hello world\n"}, stderr=["model.table:1:", "'hello'", "is not a number"])
    case("table-is-directory", "a directory where the table should be", 1, ops=["dir model.table"],
         stderr=["model.table: is a directory"])
    case("table-missing", "the table does not exist", 1, ops=["remove model.table"], stderr=["model.table: cannot open"])
    case("table-key-without-values", "a key with no values", 1,
         files={"model.table": t.replace("conv2 12.125000", "conv2")}, stderr=["model.table:", "'conv2' has no values"])
    conv1_line = t.splitlines()[0]
    vals = conv1_line.split()[1:]
    case("table-scale-count-too-few", "conv1_param_0 with 3 values for 4 outputs", 1,
         files={"model.table": t.replace(conv1_line, " ".join(["conv1_param_0"] + vals[:3]))},
         stderr=["model.table:1:", "Convolution 'conv1'", "has 3 values but the layer needs 4"])
    case("table-scale-count-too-many", "conv1_param_0 with 5 values for 4 outputs", 1,
         files={"model.table": t.replace(conv1_line, " ".join(["conv1_param_0"] + vals + ["1.0"]))},
         stderr=["model.table:1:", "has 5 values but the layer needs 4"])
    case("table-input-scale-two-values", "an input scale with 2 values", 1,
         files={"model.table": t.replace("conv2 12.125000", "conv2 12.125000 3.0")},
         stderr=["model.table:", "Convolution 'conv2'", "has 2 values but the layer needs 1"])
    case("table-nan-weight-scale", "a NaN weight scale", 1,
         files={"model.table": t.replace(conv1_line, " ".join(["conv1_param_0", vals[0], "nan"] + vals[2:]))},
         stderr=["model.table:1:", "Convolution 'conv1'", "value 2 is NaN"])
    case("table-nan-input-scale", "a NaN input scale", 1,
         files={"model.table": t.replace("conv2 12.125000", "conv2 nan")}, stderr=["model.table:", "'conv2' value 1 is NaN"])
    case("table-negative-scale", "a negative weight scale", 1,
         files={"model.table": t.replace(conv1_line, " ".join(["conv1_param_0", "-" + vals[0]] + vals[1:]))},
         stderr=["model.table:1:", "value 1 is negative"])
    case("table-inf-input-scale", "an infinite input scale", 1,
         files={"model.table": t.replace("conv2 12.125000", "conv2 inf")}, stderr=["model.table:", "is infinite"])
    case("table-inf-weight-scale", "an infinite weight scale for a channel with non-zero weights", 1,
         files={"model.table": t.replace(conv1_line, " ".join(["conv1_param_0", "inf"] + vals[1:]))},
         stderr=["model.bin", "Convolution 'conv1'", "weight scale inf but non-zero weights"])
    case("table-zero-weight-scale", "a zero weight scale for a channel with non-zero weights", 1,
         files={"model.table": t.replace(conv1_line, " ".join(["conv1_param_0", "0"] + vals[1:]))},
         stderr=["Convolution 'conv1'", "weight scale 0 but non-zero weights"])
    case("table-zero-input-scale", "a ZERO input scale is accepted with a warning (ncnn2table prints tiny scales as 0.000000)", 0,
         files={"model.table": t.replace("conv2 12.125000", "conv2 0.000000")},
         stderr=["warning", "Convolution 'conv2'", "input scale is 0"])
    case("table-not-a-number", "a scale that is not a number", 1,
         files={"model.table": t.replace("conv2 12.125000", "conv2 12.1x")}, stderr=["model.table:", "'conv2': value 1 ('12.1x') is not a number"])
    case("table-weight-without-input-scale", "weight scales but no input scale: the layer stays float, with a warning", 0,
         files={"model.table": t.replace("conv2 12.125000\n", "")}, stderr=["warning", "no input scale 'conv2'"])
    case("table-input-without-weight-scale", "an input scale but no _param_0", 1,
         files={"model.table": "\n".join(l for l in t.splitlines() if not l.startswith("conv2_param_0")) + "\n"},
         stderr=["model.table:", "Convolution 'conv2' has an input scale but no 'conv2_param_0'"])
    other = ("conv_nobias_param_0 1 2 3\nfc_nobias_param_0 4 5\nrnn_param_0 1\nconv_nobias 3.5\nfc_nobias 2.0\n")
    case("table-other-model-keys", "a table for another model: no key matches; warned, the model stays float", 0,
         files={"model.table": other}, stderr=["warning", "'conv_nobias' matches no layer of the model"])
    other_counts = t.replace(conv1_line, "conv1_param_0 " + " ".join(vals[:2]))
    other_counts = other_counts.replace(other_counts.splitlines()[3], "fc_param_0 1 2 3")
    case("table-other-model-counts", "a table for another model with the same layer names: scale counts differ", 1,
         files={"model.table": other_counts}, stderr=["model.table:1:", "is the table for another model?"])
    case("table-duplicate-layer-name", "two layers named conv1 and the table names conv1: it cannot say which one", 1,
         files={"model.param": replace_line(base_param, "Convolution conv2 ", "Convolution conv1 ")},
         stderr=["model.table:", "'conv1' names 2 layers called 'conv1'", "model.param:4", "model.param:7"])
    case("table-crlf-trailing-spaces", "CRLF line ends and trailing spaces in the table", 0,
         files={"model.table": t.replace("\n", "  \r\n")}, compare="base")
    case("table-tabs", "tabs between the table's fields", 0,
         files={"model.table": table_text(weights, sep="\t")}, compare="base")
    case("table-mixed-blanks", "tabs and runs of spaces between the table's fields", 0,
         files={"model.table": table_text(weights, sep=" \t  ")}, compare="base")
    case("table-no-final-newline", "no newline after the last table line", 0,
         files={"model.table": t.rstrip("\n")}, compare="base")
    case("table-entries-after-empty-line", "entries after an empty line are ignored with a warning (as ncnn2int8 stops there)", 0,
         files={"model.table": t + "\nconv1 99.0\n"}, stderr=["warning", "empty line"], compare="base")

    # ---- already int8
    with tempfile.TemporaryDirectory() as tmp:
        for fname, data in (("model.param", base_param), ("model.bin", base_bin), ("model.table", base_table)):
            write(os.path.join(tmp, fname), data)
        subprocess.run([cli, *(os.path.join(tmp, f) for f in ("model.param", "model.bin", "int8.param", "int8.bin", "model.table")), "--quiet"], check=True)
        int8_param = open(os.path.join(tmp, "int8.param"), "rb").read()
        int8_bin = open(os.path.join(tmp, "int8.bin"), "rb").read()
    case("already-int8-named-in-table", "an int8 model (the base, quantized) with the base's table again", 1,
         files={"model.param": int8_param, "model.bin": int8_bin},
         stderr=["model.param:4:", "Convolution 'conv1' is already int8", "names it"])
    case("already-int8-without-table", "an int8 model again without a table: left as it is", 0, args=NO_TABLE,
         files={"model.param": int8_param, "model.bin": int8_bin})

    # ---- outputs
    case("out-param-equals-out-bin", "OUT.param and OUT.bin are the same path", 1,
         args="IN/model.param IN/model.bin OUT/model.out OUT/model.out IN/model.table", stderr=["same file"])
    case("out-param-equals-out-bin-spelled-differently", "OUT.param and OUT.bin are the same file by another spelling", 1,
         args="IN/model.param IN/model.bin OUT/model.out OUT/./model.out IN/model.table", stderr=["same file"])
    case("out-unwritable-proc", "OUT.bin under /proc (cannot be created)", 1,
         args="IN/model.param IN/model.bin OUT/model.param /proc/x/out.bin IN/model.table", stderr=["/proc/x/out.bin", "cannot create output"])
    case("out-dir-missing", "OUT.param inside a directory that does not exist", 1,
         args="IN/model.param IN/model.bin OUT/no/such/dir/model.param OUT/model.bin IN/model.table",
         stderr=["OUT/no/such/dir/model.param", "cannot create output"])
    case("out-is-directory", "OUT.bin is an existing directory", 1,
         args="IN/model.param IN/model.bin OUT/model.param OUT/ IN/model.table", stderr=["is a directory"])
    case("usage-too-few-args", "three arguments: usage, exit 2", 2,
         args="IN/model.param IN/model.bin OUT/model.param", stderr=["usage: ncnn2int8"])
    case("usage-unknown-option", "an unknown option", 1, args=WITH_TABLE + " --frobnicate", stderr=["unknown option --frobnicate"])


if __name__ == "__main__":
    main()
