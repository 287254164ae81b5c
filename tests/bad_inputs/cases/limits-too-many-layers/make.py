import sys
n = 100001
with open(sys.argv[1] + "/model.param", "w") as f:
    f.write("7767517\n%d %d\nInput data 0 1 data\n" % (n, n))
    for i in range(1, n):
        f.write("ReLU r%d 1 1 %s b%d\n" % (i, "data" if i == 1 else "b%d" % (i - 1), i))
