# dejfa_fifo_n: a FIFO taking up to N entries a cycle and showing its oldest N (paths from the
# repository root). In use: dejfa_anchor_expand's short ranges (N = E, DEPTH 4) and its merged
# queue (N = E, DEPTH 16), E = 2 at 10g and 8 at 100g.
#@variant n2d16 -GN=2 -GDEPTH=16 -GWIDTH=12
#@variant n8d4 -GN=8 -GDEPTH=4 -GWIDTH=12
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/dejfa_fifo_n.sv
