# test bench: dejfa_first_set at every width of dejfa_first_set.f, both forms (paths from the repository root)
hw/rtl/dejfa_first_set.sv
tests/rtl/tb/dejfa_first_set_widths.sv
