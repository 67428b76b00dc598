# dejfa_anchor_seen: which long anchors are new in their frame, behind the confirm (issue #25;
# paths from the repository root)
#@params DATA_W ANCHORS_N
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_anchor_seen.sv
