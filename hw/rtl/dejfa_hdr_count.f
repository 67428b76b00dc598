# dejfa_hdr_count: counters of indexed header groups, per lane, with an exact snapshot (issue #24)
# GROUPS_N as docs/IMAGE.md 4.5 (a parameter in hw/dejfa_regs.toml).
#@variant small -GGROUPS_N=64
#@variant c100g -GGROUPS_N=8192
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_hdr_count.sv
