# dejfa_csr: AXI4-Lite register slave (paths from the repository root)
#@params DATA_W RULES_N LITS_N LIT_MAX_B HDR_WIN_B CNT_W CLK_KHZ ADDR_N PORTB_N DSIZEB_N CLS_N LITB_N CPROG_N CONT_N FP_KEY_MIN ADDR_CLS_N GROUPS_N SPEC_N WCLS_N CSET_N ANCHORS_N
hw/rtl/gen/dejfa_regs_pkg.sv
hw/rtl/dejfa_rec_port.sv
hw/rtl/dejfa_csr.sv
