// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

/*
 * dejfa_filter: the filter core as the card wrappers place it. The configuration (every table
 * size, from hw/dejfa_regs.toml through dejfa_regs_pkg) follows from the bus width: 64 bits is
 * `10g`, 512 bits is `100g`, so an image compiled for that configuration loads on the card.
 * The per-packet metadata stream has no consumer in a shell (the counters hold its sums) and is
 * not exported; tuser is opaque and leaves with its frame.
 */
module dejfa_filter #(
  /// AXI4-Stream data width: 64 (configuration 10g) or 512 (100g)
  parameter int unsigned DATA_W = 512,
  /// tuser width (opaque, forwarded with each passed frame)
  parameter int unsigned USER_W = 1,
  /// tkeep width (derived)
  localparam int unsigned KEEP_W = DATA_W / 8,
  /// AXI4-Lite address width (derived: the 1 MiB register window)
  localparam int unsigned AW = dejfa_regs_pkg::AXIL_ADDR_W
) (
  /// datapath and register clock
  input  wire logic              clk,
  /// synchronous active-high reset
  input  wire logic              rst,
  /// frames in
  input  wire logic [DATA_W-1:0] s_axis_tdata,
  input  wire logic [KEEP_W-1:0] s_axis_tkeep,
  input  wire logic              s_axis_tvalid,
  output logic                   s_axis_tready,
  input  wire logic              s_axis_tlast,
  input  wire logic [USER_W-1:0] s_axis_tuser,
  /// passed frames out, unchanged
  output logic [DATA_W-1:0]      m_axis_tdata,
  output logic [KEEP_W-1:0]      m_axis_tkeep,
  output logic                   m_axis_tvalid,
  input  wire logic              m_axis_tready,
  output logic                   m_axis_tlast,
  output logic [USER_W-1:0]      m_axis_tuser,
  /// AXI4-Lite register port (docs/registers.md)
  input  wire logic [AW-1:0]     s_axil_awaddr,
  input  wire logic              s_axil_awvalid,
  output logic                   s_axil_awready,
  input  wire logic [31:0]       s_axil_wdata,
  input  wire logic [3:0]        s_axil_wstrb,
  input  wire logic              s_axil_wvalid,
  output logic                   s_axil_wready,
  output logic [1:0]             s_axil_bresp,
  output logic                   s_axil_bvalid,
  input  wire logic              s_axil_bready,
  input  wire logic [AW-1:0]     s_axil_araddr,
  input  wire logic              s_axil_arvalid,
  output logic                   s_axil_arready,
  output logic [31:0]            s_axil_rdata,
  output logic [1:0]             s_axil_rresp,
  output logic                   s_axil_rvalid,
  input  wire logic              s_axil_rready
);
  // (qualified names: Yosys 0.23 refuses a package import inside a module)
  localparam bit BIG = DATA_W == dejfa_regs_pkg::CFG_100G_DATA_W;
  localparam int unsigned RULES_N = BIG ? dejfa_regs_pkg::CFG_100G_RULES_N
                                       : dejfa_regs_pkg::CFG_10G_RULES_N;
  localparam int unsigned RI = $clog2(RULES_N);
  localparam int unsigned GROUPS_N = BIG ? dejfa_regs_pkg::CFG_100G_GROUPS_N
                                         : dejfa_regs_pkg::CFG_10G_GROUPS_N;
  localparam int unsigned GL = $clog2(GROUPS_N);
  localparam int unsigned IDW = $clog2(RULES_N + 2 * GROUPS_N);

  initial begin
    if (DATA_W != dejfa_regs_pkg::CFG_10G_DATA_W && DATA_W != dejfa_regs_pkg::CFG_100G_DATA_W) begin
      $fatal(1, "dejfa_filter: DATA_W %0d is neither configuration's (%0d or %0d)", DATA_W,
             dejfa_regs_pkg::CFG_10G_DATA_W, dejfa_regs_pkg::CFG_100G_DATA_W);
    end
  end

  logic              meta_valid, meta_drop, meta_pass_rule, meta_alert, meta_overflow, meta_bank;
  logic [3:0]        meta_malformed;
  logic [15:0]       meta_frame_len;
  logic [RI:0]       meta_nmatch;
  logic [4*IDW-1:0]  meta_idx;
  logic [RULES_N-1:0] meta_matched;
  logic [15:0]       meta_imatch;
  logic [8*GL-1:0]   meta_igroup;

  // In reset the shell sees neither a valid beat nor a ready (AXI4-Stream: valid low during reset),
  // whatever state configuration or a reset mid-frame left in the core's registers before the
  // first reset edge.
  logic core_tready, core_tvalid;
  assign s_axis_tready = core_tready && !rst;
  assign m_axis_tvalid = core_tvalid && !rst;

  dejfa_core #(
    .DATA_W   (DATA_W),
    .USER_W   (USER_W),
    .RULES_N  (RULES_N),
    .LITS_N(BIG ? dejfa_regs_pkg::CFG_100G_LITS_N
                : dejfa_regs_pkg::CFG_10G_LITS_N),
    .LIT_MAX_B(BIG ? dejfa_regs_pkg::CFG_100G_LIT_MAX_B
                   : dejfa_regs_pkg::CFG_10G_LIT_MAX_B),
    .HDR_WIN_B(BIG ? dejfa_regs_pkg::CFG_100G_HDR_WIN_B
                   : dejfa_regs_pkg::CFG_10G_HDR_WIN_B),
    .CNT_W(BIG ? dejfa_regs_pkg::CFG_100G_CNT_W
               : dejfa_regs_pkg::CFG_10G_CNT_W),
    .CLK_KHZ(BIG ? dejfa_regs_pkg::CFG_100G_CLK_KHZ
                 : dejfa_regs_pkg::CFG_10G_CLK_KHZ),
    .ADDR_N(BIG ? dejfa_regs_pkg::CFG_100G_ADDR_N
                : dejfa_regs_pkg::CFG_10G_ADDR_N),
    .PORTB_N(BIG ? dejfa_regs_pkg::CFG_100G_PORTB_N
                 : dejfa_regs_pkg::CFG_10G_PORTB_N),
    .DSIZEB_N(BIG ? dejfa_regs_pkg::CFG_100G_DSIZEB_N
                  : dejfa_regs_pkg::CFG_10G_DSIZEB_N),
    .CLS_N(BIG ? dejfa_regs_pkg::CFG_100G_CLS_N
               : dejfa_regs_pkg::CFG_10G_CLS_N),
    .LITB_N(BIG ? dejfa_regs_pkg::CFG_100G_LITB_N
                : dejfa_regs_pkg::CFG_10G_LITB_N),
    .CPROG_N(BIG ? dejfa_regs_pkg::CFG_100G_CPROG_N
                 : dejfa_regs_pkg::CFG_10G_CPROG_N),
    .CONT_N(BIG ? dejfa_regs_pkg::CFG_100G_CONT_N
                : dejfa_regs_pkg::CFG_10G_CONT_N),
    .FP_KEY_MIN(BIG ? dejfa_regs_pkg::CFG_100G_FP_KEY_MIN
                    : dejfa_regs_pkg::CFG_10G_FP_KEY_MIN),
    .ADDR_CLS_N(BIG ? dejfa_regs_pkg::CFG_100G_ADDR_CLS_N
                    : dejfa_regs_pkg::CFG_10G_ADDR_CLS_N),
    .GROUPS_N(GROUPS_N),
    .SPEC_N(BIG ? dejfa_regs_pkg::CFG_100G_SPEC_N
                : dejfa_regs_pkg::CFG_10G_SPEC_N),
    .WCLS_N(BIG ? dejfa_regs_pkg::CFG_100G_WCLS_N
                : dejfa_regs_pkg::CFG_10G_WCLS_N),
    .CSET_N(BIG ? dejfa_regs_pkg::CFG_100G_CSET_N
                : dejfa_regs_pkg::CFG_10G_CSET_N),
    .ANCHORS_N(BIG ? dejfa_regs_pkg::CFG_100G_ANCHORS_N
                   : dejfa_regs_pkg::CFG_10G_ANCHORS_N)
  ) u_core (
    .clk, .rst,
    .s_axis_tdata, .s_axis_tkeep, .s_axis_tvalid, .s_axis_tready(core_tready), .s_axis_tlast,
    .s_axis_tuser,
    .m_axis_tdata, .m_axis_tkeep, .m_axis_tvalid(core_tvalid), .m_axis_tready, .m_axis_tlast,
    .m_axis_tuser,
    .m_meta_valid(meta_valid), .m_meta_drop(meta_drop), .m_meta_pass_rule(meta_pass_rule),
    .m_meta_alert(meta_alert), .m_meta_overflow(meta_overflow), .m_meta_malformed(meta_malformed),
    .m_meta_frame_len(meta_frame_len), .m_meta_nmatch(meta_nmatch), .m_meta_idx(meta_idx),
    .m_meta_matched(meta_matched), .m_meta_imatch(meta_imatch), .m_meta_igroup(meta_igroup),
    .m_meta_bank(meta_bank),
    .s_axil_awaddr, .s_axil_awprot(3'b000), .s_axil_awvalid, .s_axil_awready,
    .s_axil_wdata, .s_axil_wstrb, .s_axil_wvalid, .s_axil_wready,
    .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
    .s_axil_araddr, .s_axil_arprot(3'b000), .s_axil_arvalid, .s_axil_arready,
    .s_axil_rdata, .s_axil_rresp, .s_axil_rvalid, .s_axil_rready
  );
  // No consumer in a shell: the counters hold these records' sums.
  wire logic unused_meta = ^{meta_valid, meta_drop, meta_pass_rule, meta_alert, meta_overflow,
                             meta_bank, meta_malformed, meta_frame_len, meta_nmatch, meta_idx,
                             meta_matched, meta_imatch, meta_igroup};

endmodule

`resetall
