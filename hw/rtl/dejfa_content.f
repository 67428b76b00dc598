# dejfa_content: content engine and verdict stage (paths from the repository root)
# Its smoke was an elaboration only (FIFO, dealing, verdict), which the core's smoke repeats in
# both configurations with the parameters the core gives it, so the list is checked there
# (session 25: 61 s of the test command); the engine it instantiates has its own synthesis
# smoke (dejfa_inspect.f). Its unit tests still verilate it alone, with -Wall.
#@checked-by hw/rtl/dejfa_core.f
#@params RULES_N LITS_N LIT_MAX_B CPROG_N CONT_N DATA_W
#@yosys tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_first_set.sv
hw/rtl/dejfa_inspect.sv
hw/rtl/dejfa_content.sv
