// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_csr: AXI4-Lite register slave of the dejfa core.
 *
 * Decodes the map generated from hw/dejfa_regs.toml (dejfa_regs_pkg): identification and
 * parameter registers, CONTROL, STATUS, COMMIT and SNAPSHOT pulses, the global-counter snapshot,
 * a write-only TABLES window forwarded as a word write port, the record port of version 3's
 * tables (RT_SEL, RT_IDX, RT_COUNT and the RT_DATA window, dejfa_rec_port) forwarded as an
 * entry write port, and a read-only RULE_CNT window forwarded as a read port with variable
 * latency.
 *
 * Latency: a register read answers one cycle after the AR handshake; a RULE_CNT read answers
 * one cycle after rcnt_rd_valid. A write answers one cycle after both AW and W were accepted.
 * One transaction of each kind is in flight at a time (AXI4-Lite allows this).
 * Unmapped reads return 0; writes to read-only or unmapped offsets are ignored. Both answer OKAY,
 * as Corundum and OpenNIC register blocks do, so a probing host never sees a bus error.
 */
module dejfa_csr #(
  /// AXI4-Stream data width of the core, reported in PARAM_DATA_W
  parameter int unsigned DATA_W = 64,
  /// rule slots, reported in PARAM_RULES_N
  parameter int unsigned RULES_N = 256,
  /// literal slots, reported in PARAM_LITS_N
  parameter int unsigned LITS_N = 512,
  /// longest literal piece in bytes, reported in PARAM_LIT_MAX_B
  parameter int unsigned LIT_MAX_B = 64,
  /// header window in bytes, reported in PARAM_HDR_WIN_B
  parameter int unsigned HDR_WIN_B = 128,
  /// counter width in bits, reported in PARAM_CNT_W
  parameter int unsigned CNT_W = 64,
  /// specified datapath clock in kHz, reported in PARAM_CLK_KHZ
  parameter int unsigned CLK_KHZ = 156250,
  /// address prefix entries, reported in PARAM_ADDR_N
  parameter int unsigned ADDR_N = 64,
  /// port boundaries, reported in PARAM_PORTB_N
  parameter int unsigned PORTB_N = 64,
  /// payload-size boundaries, reported in PARAM_DSIZEB_N
  parameter int unsigned DSIZEB_N = 32,
  /// classes per small field, reported in PARAM_CLS_N
  parameter int unsigned CLS_N = 16,
  /// literal storage bytes, reported in PARAM_LITB_N
  parameter int unsigned LITB_N = 16384,
  /// content program entries, reported in PARAM_CPROG_N
  parameter int unsigned CPROG_N = 1024,
  /// contents per rule, reported in PARAM_CONT_N
  parameter int unsigned CONT_N = 32,
  /// shortest fast key of the matcher, reported in PARAM_FP_KEY_MIN
  parameter int unsigned FP_KEY_MIN = 1,
  /// address classes of the header index, reported in PARAM_ADDR_CLS_N
  parameter int unsigned ADDR_CLS_N = 16384,
  /// header groups, reported in PARAM_GROUPS_N
  parameter int unsigned GROUPS_N = 4096,
  /// small-field specs, reported in PARAM_SPEC_N
  parameter int unsigned SPEC_N = 512,
  /// wide classes per field kind, reported in PARAM_WCLS_N
  parameter int unsigned WCLS_N = 256,
  /// complex sets per field kind, reported in PARAM_CSET_N
  parameter int unsigned CSET_N = 32,
  /// anchor confirm records per bank, reported in PARAM_ANCHORS_N
  parameter int unsigned ANCHORS_N = 4096,
  /// AXI4-Lite address width (derived from the map; do not change)
  localparam int unsigned AW = dejfa_regs_pkg::AXIL_ADDR_W,
  /// byte-address width of the TABLES window
  localparam int unsigned TBL_WIN_W = dejfa_regs_pkg::TABLES_ADDR_W,
  /// word-address width of the TABLES window
  localparam int unsigned TBL_AW = TBL_WIN_W - 2,
  /// byte-address width of the RULE_CNT window
  localparam int unsigned RCNT_WIN_W = dejfa_regs_pkg::RULE_CNT_ADDR_W,
  /// word-address width of the RULE_CNT window
  localparam int unsigned RCNT_AW = RCNT_WIN_W - 2,
  /// byte-address width of the RT_DATA window
  localparam int unsigned RT_WIN_W = dejfa_regs_pkg::RT_DATA_ADDR_W,
  /// number of global counters
  localparam int unsigned GCNT_N = dejfa_regs_pkg::GCNT_N,
  /// record-port table id width
  localparam int unsigned RT_IW = dejfa_regs_pkg::RT_ID_W,
  /// record-port entry width in words
  localparam int unsigned RT_MAXW = dejfa_regs_pkg::RT_MAX_WORDS
) (
  /// register clock
  input  wire logic                  clk,
  /// synchronous active-high reset
  input  wire logic                  rst,

  /// AXI4-Lite write address
  input  wire logic [AW-1:0]         s_axil_awaddr,
  /// AXI4-Lite write protection (ignored)
  input  wire logic [2:0]            s_axil_awprot,
  /// AXI4-Lite write address valid
  input  wire logic                  s_axil_awvalid,
  /// AXI4-Lite write address ready
  output logic                       s_axil_awready,
  /// AXI4-Lite write data
  input  wire logic [31:0]           s_axil_wdata,
  /// AXI4-Lite write byte strobes
  input  wire logic [3:0]            s_axil_wstrb,
  /// AXI4-Lite write data valid
  input  wire logic                  s_axil_wvalid,
  /// AXI4-Lite write data ready
  output logic                       s_axil_wready,
  /// AXI4-Lite write response (always OKAY)
  output logic [1:0]                 s_axil_bresp,
  /// AXI4-Lite write response valid
  output logic                       s_axil_bvalid,
  /// AXI4-Lite write response ready
  input  wire logic                  s_axil_bready,
  /// AXI4-Lite read address
  input  wire logic [AW-1:0]         s_axil_araddr,
  /// AXI4-Lite read protection (ignored)
  input  wire logic [2:0]            s_axil_arprot,
  /// AXI4-Lite read address valid
  input  wire logic                  s_axil_arvalid,
  /// AXI4-Lite read address ready
  output logic                       s_axil_arready,
  /// AXI4-Lite read data
  output logic [31:0]                s_axil_rdata,
  /// AXI4-Lite read response (always OKAY)
  output logic [1:0]                 s_axil_rresp,
  /// AXI4-Lite read data valid
  output logic                       s_axil_rvalid,
  /// AXI4-Lite read data ready
  input  wire logic                  s_axil_rready,

  /// CONTROL.ENABLE
  output logic                       ctrl_enable,
  /// CONTROL.MALFORMED_DROP
  output logic                       ctrl_malformed_drop,
  /// CONTROL.OVERFLOW_DROP
  output logic                       ctrl_overflow_drop,
  /// one-cycle pulse: COMMIT.GO written
  output logic                       commit_req,
  /// STATUS.ACTIVE_BANK
  input  wire logic                  stat_active_bank,
  /// STATUS.COMMIT_PENDING
  input  wire logic                  stat_commit_pending,
  /// one-cycle pulse: SNAPSHOT.GO written
  output logic                       snapshot_req,
  /// STATUS.SNAPSHOT_BUSY
  input  wire logic                  stat_snapshot_busy,
  /// one-cycle pulse: a snapshot is complete and readable (increments SNAP_SEQ)
  input  wire logic                  snapshot_done,
  /// global counter snapshot, counter i in bits [64*i +: 64]
  input  wire logic [GCNT_N*64-1:0]  gcnt_snap,

  /// TABLES window word write strobe
  output logic                       tbl_wr_en,
  /// TABLES window word address
  output logic [TBL_AW-1:0]          tbl_wr_addr,
  /// TABLES window write data
  output logic [31:0]                tbl_wr_data,
  /// TABLES window byte strobes
  output logic [3:0]                 tbl_wr_strb,

  /// record port: an entry of a version-3 table is written (one cycle)
  output logic                       rt_wr_en,
  /// record port: the table ([[rtable]] id)
  output logic [RT_IW-1:0]           rt_wr_tbl,
  /// record port: to the active bank (GROUP_EN only), else to the shadow bank
  output logic                       rt_wr_active,
  /// record port: the entry's index
  output logic [15:0]                rt_wr_idx,
  /// record port: the entries of rt_wr_idx's aligned group written (more than one only in a
  /// fill of a table marked fill_lanes: dejfa_rec_port's tw_lanes)
  output logic [dejfa_regs_pkg::RT_FILL_LANES-1:0] rt_wr_lanes,
  /// record port: the entry, word k in bits [32*k +: 32] (zero beyond the table's width)
  output logic [32*RT_MAXW-1:0]      rt_wr_data,

  /// RULE_CNT window read request (one cycle)
  output logic                       rcnt_rd_en,
  /// RULE_CNT window word address
  output logic [RCNT_AW-1:0]         rcnt_rd_addr,
  /// RULE_CNT read answer valid (one cycle, any time after the request)
  input  wire logic                  rcnt_rd_valid,
  /// RULE_CNT read data
  input  wire logic [31:0]           rcnt_rd_data
);

  initial begin
    if (DATA_W % 64 != 0) $fatal(1, "dejfa_csr: DATA_W must be a multiple of 64 (instance %m)");
    if (CNT_W != 64) $fatal(1, "dejfa_csr: the map exposes 64-bit counters (instance %m)");
  end

  // ------------------------------------------------------------------ write channel
  logic          aw_held_q, w_held_q, bvalid_q;
  logic [AW-1:0] awaddr_q;
  logic [31:0]   wdata_q;
  logic [3:0]    wstrb_q;
  logic [31:0]   scratch_q, image_tag_q;
  logic [2:0]    control_q;
  logic          commit_q, snapshot_q;
  logic          tbl_wr_en_q;
  logic [TBL_AW-1:0] tbl_wr_addr_q;
  logic [31:0]   tbl_wr_data_q;
  logic [3:0]    tbl_wr_strb_q;

  wire logic aw_fire = s_axil_awvalid && s_axil_awready;
  wire logic w_fire  = s_axil_wvalid && s_axil_wready;
  wire logic [AW-1:0] wr_addr = aw_held_q ? awaddr_q : s_axil_awaddr;
  wire logic [31:0]   wr_data = w_held_q ? wdata_q : s_axil_wdata;
  wire logic [3:0]    wr_strb = w_held_q ? wstrb_q : s_axil_wstrb;
  logic rt_busy;  // a record-port fill runs: record-port writes wait (other writes, reads do not)
  wire logic wr_rt = {wr_addr[AW-1:2], 2'b00} == dejfa_regs_pkg::RT_SEL_OFFSET ||
                     {wr_addr[AW-1:2], 2'b00} == dejfa_regs_pkg::RT_IDX_OFFSET ||
                     {wr_addr[AW-1:2], 2'b00} == dejfa_regs_pkg::RT_FILL_OFFSET ||
                     wr_addr[AW-1:RT_WIN_W] == dejfa_regs_pkg::RT_DATA_BASE[AW-1:RT_WIN_W];
  wire logic do_write = (aw_held_q || aw_fire) && (w_held_q || w_fire) && !bvalid_q &&
                        !(rt_busy && wr_rt);
  wire logic [AW-1:0] wr_word = {wr_addr[AW-1:2], 2'b00};

  function automatic logic [31:0] apply_strb(logic [31:0] old, logic [31:0] data, logic [3:0] strb);
    logic [31:0] r;
    for (int b = 0; b < 4; b++) begin
      r[8*b +: 8] = strb[b] ? data[8*b +: 8] : old[8*b +: 8];
    end
    apply_strb = r;
  endfunction

  assign s_axil_awready = !aw_held_q && !bvalid_q;
  assign s_axil_wready  = !w_held_q && !bvalid_q;
  assign s_axil_bresp   = 2'b00;
  assign s_axil_bvalid  = bvalid_q;

  always_ff @(posedge clk) begin
    commit_q    <= 1'b0;
    snapshot_q  <= 1'b0;
    tbl_wr_en_q <= 1'b0;
    if (aw_fire && !do_write) begin
      aw_held_q <= 1'b1;
      awaddr_q  <= s_axil_awaddr;
    end
    if (w_fire && !do_write) begin
      w_held_q <= 1'b1;
      wdata_q  <= s_axil_wdata;
      wstrb_q  <= s_axil_wstrb;
    end
    if (do_write) begin
      aw_held_q <= 1'b0;
      w_held_q  <= 1'b0;
      bvalid_q  <= 1'b1;
      if (wr_word == dejfa_regs_pkg::SCRATCH_OFFSET) begin
        scratch_q <= apply_strb(scratch_q, wr_data, wr_strb);
      end
      if (wr_word == dejfa_regs_pkg::IMAGE_TAG_OFFSET) begin
        image_tag_q <= apply_strb(image_tag_q, wr_data, wr_strb);
      end
      if (wr_word == dejfa_regs_pkg::CONTROL_OFFSET && wr_strb[0]) begin
        control_q <= wr_data[2:0];
      end
      if (wr_word == dejfa_regs_pkg::COMMIT_OFFSET && wr_strb[0] && wr_data[dejfa_regs_pkg::COMMIT_GO_LSB]) begin
        commit_q <= 1'b1;
      end
      if (wr_word == dejfa_regs_pkg::SNAPSHOT_OFFSET && wr_strb[0] && wr_data[dejfa_regs_pkg::SNAPSHOT_GO_LSB]) begin
        snapshot_q <= 1'b1;
      end
      if (wr_addr[AW-1:TBL_WIN_W] == dejfa_regs_pkg::TABLES_BASE[AW-1:TBL_WIN_W]) begin
        tbl_wr_en_q   <= 1'b1;
        tbl_wr_addr_q <= wr_addr[TBL_WIN_W-1:2];
        tbl_wr_data_q <= wr_data;
        tbl_wr_strb_q <= wr_strb;
      end
    end else if (s_axil_bready) begin
      bvalid_q <= 1'b0;
    end
    if (rst) begin
      aw_held_q   <= 1'b0;
      w_held_q    <= 1'b0;
      bvalid_q    <= 1'b0;
      scratch_q   <= '0;
      image_tag_q <= '0;
      control_q   <= '0;
      commit_q    <= 1'b0;
      snapshot_q  <= 1'b0;
      tbl_wr_en_q <= 1'b0;
    end
  end

  assign ctrl_enable         = control_q[dejfa_regs_pkg::CONTROL_ENABLE_LSB];
  assign ctrl_malformed_drop = control_q[dejfa_regs_pkg::CONTROL_MALFORMED_DROP_LSB];
  assign ctrl_overflow_drop  = control_q[dejfa_regs_pkg::CONTROL_OVERFLOW_DROP_LSB];
  assign commit_req          = commit_q;
  assign snapshot_req        = snapshot_q;
  assign tbl_wr_en           = tbl_wr_en_q;
  assign tbl_wr_addr         = tbl_wr_addr_q;
  assign tbl_wr_data         = tbl_wr_data_q;
  assign tbl_wr_strb         = tbl_wr_strb_q;

  // ------------------------------------------------------------------ record port
  // Its registers take whole words (byte strobes are not applied: the driver writes words); the
  // port registers every pulse, so it sees them in the write's own cycle.
  logic [31:0] rt_sel_q, rt_idx_q, rt_count_q;
  logic        rt_err_q;
  dejfa_rec_port u_rec_port (
    .clk, .rst,
    .sel_we(do_write && wr_word == dejfa_regs_pkg::RT_SEL_OFFSET),
    .idx_we(do_write && wr_word == dejfa_regs_pkg::RT_IDX_OFFSET),
    .data_we(do_write && wr_addr[AW-1:RT_WIN_W] == dejfa_regs_pkg::RT_DATA_BASE[AW-1:RT_WIN_W]),
    .fill_we(do_write && wr_word == dejfa_regs_pkg::RT_FILL_OFFSET),
    .wdata(wr_data), .busy(rt_busy),
    .sel_q(rt_sel_q), .idx_q(rt_idx_q), .count_q(rt_count_q), .err_q(rt_err_q),
    .tw_en(rt_wr_en), .tw_tbl(rt_wr_tbl), .tw_active(rt_wr_active), .tw_idx(rt_wr_idx),
    .tw_lanes(rt_wr_lanes), .tw_data(rt_wr_data)
  );

  // ------------------------------------------------------------------ read channel
  logic        rvalid_q, rcnt_wait_q, rcnt_rd_en_q;
  logic [31:0] rdata_q;
  logic [31:0] snap_seq_q;
  logic [RCNT_AW-1:0] rcnt_rd_addr_q;

  wire logic ar_fire = s_axil_arvalid && s_axil_arready;
  wire logic [AW-1:0] rd_word = {s_axil_araddr[AW-1:2], 2'b00};
  wire logic rd_is_rcnt =
      s_axil_araddr[AW-1:RCNT_WIN_W] == dejfa_regs_pkg::RULE_CNT_BASE[AW-1:RCNT_WIN_W];

  logic [31:0] reg_rdata;
  always_comb begin
    reg_rdata = 32'h0;
    case (rd_word)
      dejfa_regs_pkg::ID_OFFSET:              reg_rdata = dejfa_regs_pkg::CORE_ID;
      dejfa_regs_pkg::VERSION_OFFSET:         reg_rdata = dejfa_regs_pkg::CORE_VERSION;
      dejfa_regs_pkg::IMAGE_FMT_OFFSET:       reg_rdata = 32'(dejfa_regs_pkg::IMAGE_FORMAT);
      dejfa_regs_pkg::SCRATCH_OFFSET:         reg_rdata = scratch_q;
      dejfa_regs_pkg::IMAGE_TAG_OFFSET:       reg_rdata = image_tag_q;
      dejfa_regs_pkg::PARAM_DATA_W_OFFSET:    reg_rdata = 32'(DATA_W);
      dejfa_regs_pkg::PARAM_RULES_N_OFFSET:   reg_rdata = 32'(RULES_N);
      dejfa_regs_pkg::PARAM_LITS_N_OFFSET:    reg_rdata = 32'(LITS_N);
      dejfa_regs_pkg::PARAM_LIT_MAX_B_OFFSET: reg_rdata = 32'(LIT_MAX_B);
      dejfa_regs_pkg::PARAM_HDR_WIN_B_OFFSET: reg_rdata = 32'(HDR_WIN_B);
      dejfa_regs_pkg::PARAM_CNT_W_OFFSET:     reg_rdata = 32'(CNT_W);
      dejfa_regs_pkg::PARAM_CLK_KHZ_OFFSET:   reg_rdata = 32'(CLK_KHZ);
      dejfa_regs_pkg::PARAM_ADDR_N_OFFSET:    reg_rdata = 32'(ADDR_N);
      dejfa_regs_pkg::PARAM_PORTB_N_OFFSET:   reg_rdata = 32'(PORTB_N);
      dejfa_regs_pkg::PARAM_DSIZEB_N_OFFSET:  reg_rdata = 32'(DSIZEB_N);
      dejfa_regs_pkg::PARAM_CLS_N_OFFSET:     reg_rdata = 32'(CLS_N);
      dejfa_regs_pkg::PARAM_LITB_N_OFFSET:    reg_rdata = 32'(LITB_N);
      dejfa_regs_pkg::PARAM_CPROG_N_OFFSET:   reg_rdata = 32'(CPROG_N);
      dejfa_regs_pkg::PARAM_CONT_N_OFFSET:    reg_rdata = 32'(CONT_N);
      dejfa_regs_pkg::PARAM_FP_KEY_MIN_OFFSET: reg_rdata = 32'(FP_KEY_MIN);
      dejfa_regs_pkg::PARAM_ADDR_CLS_N_OFFSET: reg_rdata = 32'(ADDR_CLS_N);
      dejfa_regs_pkg::PARAM_GROUPS_N_OFFSET:  reg_rdata = 32'(GROUPS_N);
      dejfa_regs_pkg::PARAM_SPEC_N_OFFSET:    reg_rdata = 32'(SPEC_N);
      dejfa_regs_pkg::PARAM_WCLS_N_OFFSET:    reg_rdata = 32'(WCLS_N);
      dejfa_regs_pkg::PARAM_CSET_N_OFFSET:    reg_rdata = 32'(CSET_N);
      dejfa_regs_pkg::PARAM_ANCHORS_N_OFFSET: reg_rdata = 32'(ANCHORS_N);
      dejfa_regs_pkg::RT_SEL_OFFSET:          reg_rdata = rt_sel_q;
      dejfa_regs_pkg::RT_IDX_OFFSET:          reg_rdata = rt_idx_q;
      dejfa_regs_pkg::RT_COUNT_OFFSET: begin
        reg_rdata = rt_count_q;
        reg_rdata[dejfa_regs_pkg::RT_COUNT_ERR_LSB] = rt_err_q;
      end
      dejfa_regs_pkg::CONTROL_OFFSET:         reg_rdata = {29'h0, control_q};
      dejfa_regs_pkg::STATUS_OFFSET: begin
        reg_rdata[dejfa_regs_pkg::STATUS_ACTIVE_BANK_LSB]    = stat_active_bank;
        reg_rdata[dejfa_regs_pkg::STATUS_COMMIT_PENDING_LSB] = stat_commit_pending;
        reg_rdata[dejfa_regs_pkg::STATUS_SNAPSHOT_BUSY_LSB]  = stat_snapshot_busy;
      end
      dejfa_regs_pkg::SNAP_SEQ_OFFSET:        reg_rdata = snap_seq_q;
      default: begin
        for (int i = 0; i < GCNT_N; i++) begin
          if (rd_word == dejfa_regs_pkg::GCNT_BASE + AW'(8 * i)) reg_rdata = gcnt_snap[64*i +: 32];
          if (rd_word == dejfa_regs_pkg::GCNT_BASE + AW'(8 * i + 4)) reg_rdata = gcnt_snap[64*i+32 +: 32];
        end
      end
    endcase
  end

  assign s_axil_arready = !rvalid_q && !rcnt_wait_q;
  assign s_axil_rvalid  = rvalid_q;
  assign s_axil_rdata   = rdata_q;
  assign s_axil_rresp   = 2'b00;
  assign rcnt_rd_en     = rcnt_rd_en_q;
  assign rcnt_rd_addr   = rcnt_rd_addr_q;

  always_ff @(posedge clk) begin
    rcnt_rd_en_q <= 1'b0;
    if (ar_fire) begin
      if (rd_is_rcnt) begin
        rcnt_wait_q    <= 1'b1;
        rcnt_rd_en_q   <= 1'b1;
        rcnt_rd_addr_q <= s_axil_araddr[RCNT_WIN_W-1:2];
      end else begin
        rvalid_q <= 1'b1;
        rdata_q  <= reg_rdata;
      end
    end else if (rcnt_wait_q && rcnt_rd_valid) begin
      rcnt_wait_q <= 1'b0;
      rvalid_q    <= 1'b1;
      rdata_q     <= rcnt_rd_data;
    end else if (rvalid_q && s_axil_rready) begin
      rvalid_q <= 1'b0;
    end
    if (snapshot_done) begin
      snap_seq_q <= snap_seq_q + 32'd1;
    end
    if (rst) begin
      rvalid_q     <= 1'b0;
      rcnt_wait_q  <= 1'b0;
      rcnt_rd_en_q <= 1'b0;
      snap_seq_q   <= '0;
    end
  end

  // The protection bits carry no meaning for this slave.
  wire logic unused_ok = &{1'b0, s_axil_awprot, s_axil_arprot, s_axil_araddr[1:0], wr_addr[1:0]};

  // A read is either waiting for the RULE_CNT port or answering, never both.
  `DEJFA_ASSERT(ReadOneState_A, !(rvalid_q && rcnt_wait_q), clk, rst)
  // Held AW/W halves exist only while no response is pending.
  `DEJFA_ASSERT(WriteHeldNoResp_A, !(bvalid_q && (aw_held_q || w_held_q)), clk, rst)

endmodule

`resetall
`default_nettype wire
