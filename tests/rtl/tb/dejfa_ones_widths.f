# test bench: dejfa_ones at every width of dejfa_ones.f, both forms (paths from the repository root)
hw/rtl/dejfa_ones.sv
tests/rtl/tb/dejfa_ones_widths.sv
