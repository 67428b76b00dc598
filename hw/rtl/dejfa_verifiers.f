# dejfa_verifiers: the verifiers of (frame, rule) jobs with their shared tables and payload RAMs
# (issue #25; paths from the repository root)
#@params LITS_N LIT_MAX_B CPROG_N CONT_N DATA_W
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_first_set.sv
hw/rtl/dejfa_verifier.sv
hw/rtl/dejfa_verifiers.sv
