# dejfa_core: the filter core (paths from the repository root)
# The CI smoke only elaborates the core (each block has its own synthesis smoke; the whole core
# through synth_xilinx is scripts/synth.sh, too slow for every CI run).
#@params DATA_W RULES_N LITS_N LIT_MAX_B HDR_WIN_B CNT_W CLK_KHZ ADDR_N PORTB_N DSIZEB_N CLS_N LITB_N CPROG_N CONT_N FP_KEY_MIN ADDR_CLS_N GROUPS_N SPEC_N WCLS_N CSET_N ANCHORS_N
#@yosys tee -o /dev/stdout stat
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_rec_port.sv
hw/rtl/dejfa_csr.sv
hw/rtl/dejfa_parser.sv
hw/rtl/dejfa_first_set.sv
hw/rtl/dejfa_ones.sv
hw/rtl/dejfa_first_k.sv
hw/rtl/dejfa_ram_2r.sv
hw/rtl/dejfa_ram_2r_lanes.sv
hw/rtl/dejfa_ram_1w1r.sv
hw/rtl/dejfa_addr_class.sv
hw/rtl/dejfa_hdr_wide.sv
hw/rtl/dejfa_hdr_verify.sv
hw/rtl/dejfa_hdr_path.sv
hw/rtl/dejfa_hdr_count.sv
hw/rtl/dejfa_matcher.sv
hw/rtl/dejfa_inspect.sv
hw/rtl/dejfa_content.sv
hw/rtl/dejfa_pktbuf.sv
hw/rtl/dejfa_counters.sv
hw/rtl/dejfa_core.sv
