# dejfa_verifier: one verifier of (frame, rule) jobs, version 1's engine datapath over memories
# outside it (issue #25; paths from the repository root). Checked within dejfa_verifiers, which
# instantiates it with its memories; its lint and Yosys smoke run there.
#@checked-by hw/rtl/dejfa_verifiers.f
#@params LITS_N CPROG_N CONT_N
#@yosys tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_first_set.sv
hw/rtl/dejfa_verifier.sv
