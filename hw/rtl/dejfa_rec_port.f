# dejfa_rec_port: the record port of version 3's tables (issue #24); record widths from
# hw/dejfa_regs.toml [[rtable]] (paths from the repository root)
#@yosys proc; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_rec_port.sv
