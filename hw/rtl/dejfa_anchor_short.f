# dejfa_anchor_short: the anchors of 1-3 bytes, compared at every lane (issue #25; paths from the
# repository root)
#@params DATA_W
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_anchor_short.sv
