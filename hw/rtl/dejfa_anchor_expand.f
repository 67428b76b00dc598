# dejfa_anchor_expand: anchors new in their frame become their rules, frames in order, behind
# the seen tags and the short anchors (issue #25; paths from the repository root)
#@params DATA_W ANCHORS_N
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_fifo_n.sv
hw/rtl/dejfa_anchor_expand.sv
