# dejfa_ones: number of set bits as an adder tree (paths from the repository root)
# Widths in use: 32, 64, 128 (payload-size and port boundaries, padded), 256, 1,024 (rule slots).
#@variant n2 -GN=2
#@variant n32 -GN=32
#@variant n64 -GN=64
#@variant n128 -GN=128
#@variant n256 -GN=256
#@variant n1024 -GN=1024
#@yosys proc; opt -fast; tee -o /dev/stdout stat
hw/rtl/dejfa_ones.sv
