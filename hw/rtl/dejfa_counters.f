# dejfa_counters: per-rule packet/byte counters with snapshot (paths from the repository root)
#@params RULES_N
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/dejfa_counters.sv
