# dejfa_matcher: fast-literal prefilter (paths from the repository root)
#@params DATA_W RULES_N FP_KEY_MIN
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_matcher.sv
