import struct, sys
n = 20000
d = sys.argv[1]
with open(d + "/model.param", "w") as f:
    f.write("7767517\n%d %d\nInput data 0 1 data\n" % (n + 1, n + 1))
    for i in range(n):
        f.write("Convolution c%d 1 1 data t%d 0=1 1=1 6=1\n" % (i, i))
with open(d + "/model.bin", "wb") as f:
    f.write(struct.pack("<If", 0, 0.5) * n)
with open(d + "/model.table", "w") as f:
    f.write("".join("c%d_param_0 100.0\n" % i for i in range(n)))
    f.write("".join("c%d 10.0\n" % i for i in range(n)))
