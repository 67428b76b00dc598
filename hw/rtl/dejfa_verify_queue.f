# dejfa_verify_queue: the job queue between the candidate check and the verifiers: admission at
# each frame's end against its deadline, dispatch, retirement in frame order (issue #25; paths
# from the repository root)
#@params DATA_W
#@yosys proc; opt -fast; memory -nomap; opt -fast; tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_first_set.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_verify_queue.sv
