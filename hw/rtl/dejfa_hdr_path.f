# dejfa_hdr_path: version 3's header classification, descriptor to wide slots and verify lanes
# (issue #24): dejfa_addr_class, dejfa_hdr_wide, dejfa_hdr_verify in a row. Sizes as
# docs/IMAGE.md 4.5 (the configurations' parameters in hw/dejfa_regs.toml).
#@variant small -GACLS_N=256 -GPCLS_N=256 -GGROUPS_N=256 -GSPEC_N=128 -GWIDE_N=256 -GWCLS_N=64 -GCLS_N=64 -GDSIZEB_N=32 -GSIDE_W=16
#@variant c10g -GACLS_N=16384 -GPCLS_N=65536 -GGROUPS_N=4096 -GSPEC_N=512 -GWIDE_N=256 -GWCLS_N=256 -GCLS_N=64 -GDSIZEB_N=32 -GSIDE_W=16
#@variant c100g -GACLS_N=32768 -GPCLS_N=65536 -GGROUPS_N=8192 -GSPEC_N=1024 -GWIDE_N=1024 -GWCLS_N=512 -GCLS_N=64 -GDSIZEB_N=64 -GSIDE_W=16
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ones.sv
hw/rtl/dejfa_ram_2r.sv
hw/rtl/dejfa_ram_2r_lanes.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_addr_class.sv
hw/rtl/dejfa_hdr_wide.sv
hw/rtl/dejfa_hdr_verify.sv
hw/rtl/dejfa_hdr_path.sv
