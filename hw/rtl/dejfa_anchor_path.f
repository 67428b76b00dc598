# dejfa_anchor_path: version 3's content candidates, beats to each candidate rule's header check
# (issue #25): filter, confirm, short anchors, seen tags, expansion, candidate check in a row
# (paths from the repository root)
#@params DATA_W ANCHORS_N RULES_N GROUPS_N SPEC_N CSET_N
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_ram_2r.sv
hw/rtl/dejfa_fifo_n.sv
hw/rtl/dejfa_anchor_filter.sv
hw/rtl/dejfa_anchor_cmp.sv
hw/rtl/dejfa_anchor_confirm.sv
hw/rtl/dejfa_anchor_short.sv
hw/rtl/dejfa_anchor_seen.sv
hw/rtl/dejfa_anchor_expand.sv
hw/rtl/dejfa_cand_check.sv
hw/rtl/dejfa_anchor_path.sv
