# dejfa_parser: header parser (paths from the repository root)
#@params DATA_W HDR_WIN_B
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_parser.sv
