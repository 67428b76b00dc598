# dejfa_inspect: one content-inspection engine (paths from the repository root)
#@params RULES_N LITS_N CPROG_N CONT_N DATA_W
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_first_set.sv
hw/rtl/dejfa_inspect.sv
