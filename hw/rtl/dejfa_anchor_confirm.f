# dejfa_anchor_confirm: the anchor confirm behind the filter (issue #25; paths from the repository
# root)
#@params DATA_W ANCHORS_N
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ram_2r.sv
hw/rtl/dejfa_anchor_cmp.sv
hw/rtl/dejfa_anchor_confirm.sv
