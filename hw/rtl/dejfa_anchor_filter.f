# dejfa_anchor_filter: the anchor filter in front of the confirm (issue #25; paths from the
# repository root)
#@params DATA_W
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ram_2r.sv
hw/rtl/dejfa_anchor_filter.sv
