# dejfa_anchor_cmp: one comparison of the anchor confirm (issue #25; paths from the repository
# root)
#@params DATA_W
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/dejfa_anchor_cmp.sv
