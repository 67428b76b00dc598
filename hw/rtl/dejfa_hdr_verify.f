# dejfa_hdr_verify: class records and verify lanes of version 3's header index (issue #24)
# ACLS_N = ADDR_CLS_N, GROUPS_N, SPEC_N as docs/IMAGE.md 4.5 (parameters in
# hw/dejfa_regs.toml); PCLS_N the port classes (65,536 covers every port set).
#@variant small -GACLS_N=64 -GPCLS_N=64 -GGROUPS_N=64 -GSPEC_N=64 -GSIDE_W=8
#@variant c100g -GACLS_N=32768 -GPCLS_N=65536 -GGROUPS_N=8192 -GSPEC_N=1024 -GSIDE_W=16
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ram_2r.sv
hw/rtl/dejfa_ram_2r_lanes.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_hdr_verify.sv
