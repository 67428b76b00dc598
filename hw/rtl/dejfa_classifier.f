# dejfa_classifier: header classifier (paths from the repository root)
#@params RULES_N ADDR_N PORTB_N DSIZEB_N CLS_N
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_first_set.sv
hw/rtl/dejfa_ones.sv
hw/rtl/dejfa_classifier.sv
