# dejfa_cand_check: the lanes behind the expansion, each candidate content rule's header group
# checked against its frame's descriptor (issue #25; paths from the repository root)
#@params DATA_W RULES_N GROUPS_N SPEC_N CSET_N
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_ram_2r.sv
hw/rtl/dejfa_cand_check.sv
