#!/usr/bin/env python3
"""Writes the ncnn2table bad-input corpus: base/ (a tiny model, two PNG
images, two .npy files and their lists) and cases/<name>/case.txt. The
output is committed; run this again after changing it:

    python3 tests/bad_inputs/calib/make_cases.py

See run_calib_bad_inputs.sh for the case format.
"""
import os
import shutil
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
BASE = os.path.join(HERE, "base")
CASES = os.path.join(HERE, "cases")

# Input 8x6x3 -> Convolution 3x3 (4 out, pad 1) -> ReLU -> InnerProduct (3 out)
PARAM = """7767517
4 4
Input            data   0 1 data
Convolution      conv1  1 1 data conv1 0=4 1=3 4=1 5=1 6=108
ReLU             relu1  1 1 conv1 relu1
InnerProduct     fc     1 1 relu1 fc 0=3 1=1 2=576
"""


def floats(n, seed):
    out, x = [], seed
    for _ in range(n):
        x = (x * 1103515245 + 12345) % 2147483648
        out.append((x / 2147483648.0 - 0.5) * 0.4)
    return out


def model_bin():
    b = b""
    b += struct.pack("<I", 0) + struct.pack("<108f", *floats(108, 1)) + struct.pack("<4f", *floats(4, 2))
    b += struct.pack("<I", 0) + struct.pack("<576f", *floats(576, 3)) + struct.pack("<3f", *floats(3, 4))
    return b


def png(w, h, seed):
    raw = b""
    for y in range(h):
        raw += b"\x00" + bytes(((x * 37 + y * 91 + c * 53 + seed * 17) % 256) for x in range(w) for c in range(3))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def npy(shape, values, descr="<f4", fortran="False"):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (descr, fortran, dims)
    header += " " * ((16 - (10 + len(header) + 1) % 16) % 16) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + values


def npy_f32(shape, seed):
    n = 1
    for d in shape:
        n *= d
    return npy(shape, struct.pack("<%df" % n, *floats(n, seed)))


IMG_ARGS = "mean=[104,117,123] norm=[0.017,0.017,0.017] shape=[8,6,3] pixel=BGR thread=1"
NPY_ARGS = "shape=[8,6,3] type=1 thread=1"
IMG = "IN/model.param IN/model.bin IN/list.txt OUT/model.table "
NPY = "IN/model.param IN/model.bin IN/list_npy.txt OUT/model.table "

# name: (what, args, exit, [stderr fragments], [ops])
CASES_SPEC = {
    "base-images": ("the base image calibration works", IMG + IMG_ARGS + " method=kl", 0, [], []),
    "base-images-aciq-aspect": ("keep-aspect resize [8,0] works (8x6 images: the InnerProduct needs 8x6)", IMG + IMG_ARGS.replace("shape=[8,6,3]", "shape=[8,0]") + " method=aciq", 0, [],
                                ["copy img0.png img1.png"]),
    "aspect-does-not-fit-weights": ("keep-aspect resize [8,0] of a 13x9 image gives 8x5: the InnerProduct refuses it", IMG + IMG_ARGS.replace("shape=[8,6,3]", "shape=[8,0]"),
                                    1, ["InnerProduct 'fc'", "8x5x4", "expect 192"], []),
    "base-npy": ("the base npy calibration works", NPY + NPY_ARGS + " method=aciq", 0, [], []),
    "base-weight-only": ("no lists: the weight-only table", "IN/model.param IN/model.bin OUT/model.table", 0, ["weight-only"], []),
    "base-full-precision": ("precision=full and a report", IMG + IMG_ARGS + " precision=full report=OUT/report.json", 0, [], []),
    "image-truncated": ("a PNG cut short", IMG + IMG_ARGS, 1, ["img1.png"], ["truncate img1.png 60"]),
    "image-corrupt-zlib": ("a PNG whose compressed data is garbage", IMG + IMG_ARGS, 1, ["img1.png", "cannot decode"],
                           ["patch img1.png 41 ffffffffffffffff"]),
    "image-not-an-image": ("a text file listed as an image", IMG + IMG_ARGS, 1, ["img1.png", "not an image stb_image can read"],
                           ["write img1.png hello"]),
    "image-empty": ("an empty file listed as an image", IMG + IMG_ARGS, 1, ["img1.png"], ["truncate img1.png 0"]),
    "image-missing": ("a listed image that does not exist", IMG + IMG_ARGS, 1, ["img1.png"], ["remove img1.png"]),
    "image-is-directory": ("a listed image that is a folder", IMG + IMG_ARGS, 1, ["img1.png"], ["dir img1.png"]),
    "image-too-small-to-resize": ("a 1x1 image needs a resize ncnn cannot do", IMG + IMG_ARGS, 1, ["img1.png", "cannot be resized"],
                                  ["copy tiny.png img1.png"]),
    "npy-wrong-dtype": ("float64 npy", NPY + NPY_ARGS, 1, ["b.npy", "not float32"], ["copy f64.npy b.npy"]),
    "npy-truncated": ("npy data cut short", NPY + NPY_ARGS, 1, ["b.npy", "truncated .npy data"], ["truncate b.npy 300"]),
    "npy-trailing-bytes": ("bytes after the npy data", NPY + NPY_ARGS, 1, ["b.npy", "after the .npy data"], ["append b.npy 00000000"]),
    "npy-shape-mismatch": ("npy (3, 8, 6) for shape=[8,6,3]", NPY + NPY_ARGS, 1, ["b.npy", "does not match shape=[8,6,3]"],
                           ["copy transposed.npy b.npy"]),
    "npy-fortran-order": ("a Fortran-order npy", NPY + NPY_ARGS, 1, ["b.npy", "Fortran-order"], ["copy fortran.npy b.npy"]),
    "npy-not-npy": ("a PNG listed as npy", NPY + NPY_ARGS, 1, ["b.npy", "not a .npy file"], ["copy img0.png b.npy"]),
    "npy-bad-header": ("a npy header that is not a dict", NPY + NPY_ARGS, 1, ["b.npy", "not a valid .npy header"], ["patch b.npy 10 28"]),
    "option-unknown": ("a misspelt key", IMG + IMG_ARGS + " methd=kl", 1, ["unknown option 'methd'"], []),
    "option-not-key-value": ("an extra word", IMG + IMG_ARGS + " kl", 1, ["'kl' is not key=value"], []),
    "option-norm-zero": ("norm=0 zeroes the input", IMG + IMG_ARGS.replace("norm=[0.017,0.017,0.017]", "norm=[0.017,0,0.017]"), 1,
                         ["option norm: input 0 channel 1 is 0"], []),
    "option-mean-too-short": ("two means for three channels", IMG + IMG_ARGS.replace("mean=[104,117,123]", "mean=[104,117]"), 1,
                              ["option mean: input 0 has 2 values"], []),
    "option-mean-garbage": ("a mean that is not a number", IMG + IMG_ARGS.replace("mean=[104,117,123]", "mean=[104,1x7,123]"), 1,
                            ["'1x7' is not a decimal number"], []),
    "option-shape-one-value": ("shape=[8] for an image", IMG + IMG_ARGS.replace("shape=[8,6,3]", "shape=[8]"), 1, ["an image shape is [w,h]"], []),
    "option-shape-wrong-channels": ("shape c=1 with pixel=BGR", IMG + IMG_ARGS.replace("shape=[8,6,3]", "shape=[8,6,1]"), 1,
                                    ["c=1 but pixel=BGR gives 3"], []),
    "option-shape-unclosed": ("shape=[8,6", IMG + IMG_ARGS.replace("shape=[8,6,3]", "shape=[8,6"), 1, ["missing ']'"], []),
    "option-pixel-raw": ("pixel=RAW (the reference calibrates on empty inputs)", IMG + IMG_ARGS.replace("pixel=BGR", "pixel=RAW"), 1,
                         ["RAW is not supported"], []),
    "option-pixel-unknown": ("pixel=YUV", IMG + IMG_ARGS.replace("pixel=BGR", "pixel=YUV"), 1, ["unknown pixel order 'YUV'"], []),
    "option-method-unknown": ("method=minmax", IMG + IMG_ARGS + " method=minmax", 1, ["unknown method 'minmax'"], []),
    "base-eq": ("method=eq searches the kl scales", NPY + NPY_ARGS + " method=eq", 0, [], []),
    "shape-does-not-fit-weights": ("npy shape=[10,6,3]: the InnerProduct gets 240 values where its weights take 192", NPY + NPY_ARGS.replace("shape=[8,6,3]", "shape=[10,6,3]"),
                                   1, ["InnerProduct 'fc'", "240 values", "expect 192"], ["copy wide.npy a.npy", "copy wide.npy b.npy"]),
    "option-thread-negative": ("thread=-2", IMG + IMG_ARGS.replace("thread=1", "thread=-2"), 1, ["option thread"], []),
    "option-type-two": ("type=2", IMG + IMG_ARGS + " type=2", 1, ["option type"], []),
    "option-twice": ("method given twice", IMG + IMG_ARGS + " method=kl method=aciq", 1, ["option method is given twice"], []),
    "option-mean-missing": ("images without mean", IMG + IMG_ARGS.replace("mean=[104,117,123] ", ""), 1, ["option mean is missing"], []),
    "lists-too-many": ("two lists for one Input layer", "IN/model.param IN/model.bin list.txt,list.txt OUT/model.table " + IMG_ARGS,
                       1, ["1 Input layer but 2 lists"], []),
    "list-missing": ("the list file does not exist", IMG + IMG_ARGS, 1, ["list.txt"], ["remove list.txt"]),
    "list-empty": ("a list with no path", IMG + IMG_ARGS, 1, ["list.txt: the list names no input file"], ["write list.txt \n\n"]),
    "list-path-too-long": ("a path over 255 characters", IMG + IMG_ARGS, 1, ["list.txt:1: path longer than 255"],
                           ["write list.txt " + "x" * 300]),
    "output-folder-missing": ("the table's folder does not exist", "IN/model.param IN/model.bin IN/list.txt OUT/nowhere/model.table " + IMG_ARGS,
                              1, ["nowhere"], []),
    "usage-too-few": ("two arguments", "IN/model.param IN/model.bin", 2, ["usage"], []),
    "usage-dash-option": ("an unknown --option", IMG + IMG_ARGS + " --fast", 2, ["unknown option --fast"], []),
}


def main():
    shutil.rmtree(BASE, ignore_errors=True)
    shutil.rmtree(CASES, ignore_errors=True)
    os.makedirs(BASE)
    files = {
        "model.param": PARAM.encode(),
        "model.bin": model_bin(),
        "img0.png": png(8, 6, 1),
        "img1.png": png(13, 9, 2),
        "tiny.png": png(1, 1, 3),
        "a.npy": npy_f32((3, 6, 8), 5),
        "b.npy": npy_f32((3, 6, 8), 6),
        "f64.npy": npy((3, 6, 8), struct.pack("<144d", *floats(144, 7)), descr="<f8"),
        "transposed.npy": npy_f32((3, 8, 6), 8),
        "wide.npy": npy_f32((3, 6, 10), 10),
        "fortran.npy": npy((3, 6, 8), struct.pack("<144f", *floats(144, 9)), fortran="True"),
        "list.txt": b"img0.png\nimg1.png\n",
        "list_npy.txt": b"a.npy\nb.npy\n",
    }
    for name, data in files.items():
        with open(os.path.join(BASE, name), "wb") as f:
            f.write(data)
    for name, (what, args, status, fragments, ops) in CASES_SPEC.items():
        d = os.path.join(CASES, name)
        os.makedirs(d)
        lines = ["# " + what, "args: " + args, "exit: %d" % status]
        lines += ["stderr: " + s for s in fragments]
        lines += ["op: " + o for o in ops]
        with open(os.path.join(d, "case.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
    print("wrote %d cases" % len(CASES_SPEC))


if __name__ == "__main__":
    main()
