# dejfa_first_k: the lowest K set bits' indices, one stage per index (paths from the repository root)
# In use: the core's metadata, N = RULES_N (256, 1,024), K = META_IDX_N (4), SIDE_W its other fields (25 + RI + 1 bits).
#@variant n8k4 -GN=8 -GK=4 -GSIDE_W=8
#@variant n256k4 -GN=256 -GK=4 -GSIDE_W=34
#@variant n1024k4 -GN=1024 -GK=4 -GSIDE_W=36
#@yosys proc; opt -fast; tee -o /dev/stdout stat
hw/rtl/dejfa_first_set.sv
hw/rtl/dejfa_first_k.sv
