# dejfa_content: content engine and verdict stage (paths from the repository root)
# The CI smoke elaborates the wrapper (FIFO, dealing, verdict); the engine it instantiates has
# its own synthesis smoke (dejfa_inspect.f).
#@params RULES_N LITS_N LIT_MAX_B CPROG_N CONT_N DATA_W
#@yosys tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_first_set.sv
hw/rtl/dejfa_inspect.sv
hw/rtl/dejfa_content.sv
