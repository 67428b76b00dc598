# dejfa_hdr_wide: spec vector and wide classifier of version 3's header tables (issue #24)
# ACLS_N = ADDR_CLS_N, SPEC_N, WIDE_N, WCLS_N, CLS_N, DSIZEB_N as docs/IMAGE.md 4.5 (parameters in
# hw/dejfa_regs.toml).
#@variant small -GACLS_N=256 -GSPEC_N=128 -GWIDE_N=256 -GWCLS_N=64 -GCLS_N=64 -GDSIZEB_N=32 -GSIDE_W=16
#@variant c10g -GACLS_N=16384 -GSPEC_N=512 -GWIDE_N=256 -GWCLS_N=256 -GCLS_N=64 -GDSIZEB_N=32 -GSIDE_W=16
#@variant c100g -GACLS_N=32768 -GSPEC_N=1024 -GWIDE_N=1024 -GWCLS_N=512 -GCLS_N=64 -GDSIZEB_N=64 -GSIDE_W=16
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ones.sv
hw/rtl/dejfa_ram_2r.sv
hw/rtl/dejfa_ram_2r_lanes.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_hdr_wide.sv
