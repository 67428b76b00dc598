# dejfa_addr_class: address classes by pipelined binary search (paths from the repository root)
# Version 3 (issue #24): CLS_N = ADDR_CLS_N (16,384 at 10g, 32,768 at 100g; docs/IMAGE.md 4.5,
# the configurations' parameters in hw/dejfa_regs.toml); SIDE_W the descriptor beside it.
#@variant c64 -GCLS_N=64 -GSIDE_W=8
#@variant c16k -GCLS_N=16384 -GSIDE_W=16
#@variant c32k -GCLS_N=32768 -GSIDE_W=16
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/dejfa_addr_class.sv
