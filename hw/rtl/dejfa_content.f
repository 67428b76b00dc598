# dejfa_content: content engine and verdict stage (paths from the repository root)
#@params RULES_N LITS_N LIT_MAX_B CPROG_N CONT_N DATA_W
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_inspect.sv
hw/rtl/dejfa_content.sv
