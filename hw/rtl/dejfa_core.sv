// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_core: the filter core. s_axis frames are stored in the packet buffer while the parser,
 * the header classifier and the content engine judge them; each frame then leaves on m_axis
 * unchanged (with its tuser) or is dropped, and one metadata record per frame leaves on m_meta.
 * The CSR (s_axil) gives identification, control, the table banks (COMMIT), per-rule and global
 * counters (SNAPSHOT). Block diagram, latencies and bounds: docs/HARDWARE.md.
 *
 * Banks: every descriptor takes the active bank when the parser emits it, so a frame is judged
 * wholly by one bank. COMMIT flips the active bank at once; STATUS.COMMIT_PENDING stays set until
 * no frame judged with the old bank is still in the pipeline, and only then may the host write
 * the new shadow bank (the driver waits for it).
 */
module dejfa_core #(
  /// AXI4-Stream data width in bits
  parameter int unsigned DATA_W = 64,
  /// tuser width in bits
  parameter int unsigned USER_W = 16,
  /// rule slots
  parameter int unsigned RULES_N = 256,
  /// literal slots
  parameter int unsigned LITS_N = 512,
  /// bytes per literal slot
  parameter int unsigned LIT_MAX_B = 64,
  /// header window in bytes
  parameter int unsigned HDR_WIN_B = 128,
  /// counter width (reported)
  parameter int unsigned CNT_W = 64,
  /// datapath clock in kHz (reported)
  parameter int unsigned CLK_KHZ = 156250,
  /// address prefix entries
  parameter int unsigned ADDR_N = 64,
  /// port class boundaries
  parameter int unsigned PORTB_N = 62,
  /// payload-size class boundaries
  parameter int unsigned DSIZEB_N = 32,
  /// classes per small field
  parameter int unsigned CLS_N = 64,
  /// literal bytes (reported)
  parameter int unsigned LITB_N = 16384,
  /// content-program entries
  parameter int unsigned CPROG_N = 1024,
  /// contents per rule
  parameter int unsigned CONT_N = 32,
  /// shortest fast key of the matcher in bytes (1..4)
  parameter int unsigned FP_KEY_MIN = 1,
  /// address classes of the header index
  parameter int unsigned ADDR_CLS_N = 16384,
  /// header groups of the header index
  parameter int unsigned GROUPS_N = 4096,
  /// small-field specs of the header index
  parameter int unsigned SPEC_N = 512,
  /// wide classes per field kind
  parameter int unsigned WCLS_N = 256,
  /// complex sets per field kind
  parameter int unsigned CSET_N = 32,
  /// packet buffer depth in beats
  parameter int unsigned PKT_DEPTH = dejfa_regs_pkg::PKT_DEPTH,
  /// largest frame the line carries, in bytes (sets the content engine's lag bound)
  parameter int unsigned FRAME_MAX_B = dejfa_regs_pkg::FRAME_MAX_B,
  /// number of matched rule indices carried in a metadata record
  parameter int unsigned META_IDX_N = 4,
  /// content-inspection engines side by side (docs/HARDWARE.md)
  parameter int unsigned ENGINES = DATA_W >= 512 ? 4 : 2,
  /// descriptors waiting for an engine (frames of one beat arrive every cycle at 512 bits)
  parameter int unsigned DESC_FIFO_N = DATA_W >= 512 ? 512 : 128,
  /// tkeep width (derived)
  localparam int unsigned KEEP_W = DATA_W / 8,
  /// AXI4-Lite address width (derived)
  localparam int unsigned AW = dejfa_regs_pkg::AXIL_ADDR_W,
  /// rule index width (derived)
  localparam int unsigned RI = $clog2(RULES_N)
) (
  /// datapath and register clock
  input  wire logic                  clk,
  /// synchronous reset, active high
  input  wire logic                  rst,

  /// input stream
  input  wire logic [DATA_W-1:0]     s_axis_tdata,
  /// input byte enables (packed)
  input  wire logic [KEEP_W-1:0]     s_axis_tkeep,
  /// input valid
  input  wire logic                  s_axis_tvalid,
  /// input ready
  output logic                       s_axis_tready,
  /// input end of frame
  input  wire logic                  s_axis_tlast,
  /// input user sideband (passed through)
  input  wire logic [USER_W-1:0]     s_axis_tuser,

  /// output stream
  output logic [DATA_W-1:0]          m_axis_tdata,
  /// output byte enables
  output logic [KEEP_W-1:0]          m_axis_tkeep,
  /// output valid
  output logic                       m_axis_tvalid,
  /// output ready
  input  wire logic                  m_axis_tready,
  /// output end of frame
  output logic                       m_axis_tlast,
  /// output user sideband
  output logic [USER_W-1:0]          m_axis_tuser,

  /// metadata record valid (one per frame, in frame order; a tap without back-pressure)
  output logic                       m_meta_valid,
  /// the frame is dropped
  output logic                       m_meta_drop,
  /// a pass rule matched (alerts suppressed)
  output logic                       m_meta_pass_rule,
  /// at least one rule alerted
  output logic                       m_meta_alert,
  /// content inspection overflowed
  output logic                       m_meta_overflow,
  /// malformed reason (0 none)
  output logic [3:0]                 m_meta_malformed,
  /// frame length in bytes
  output logic [15:0]                m_meta_frame_len,
  /// number of matched rules
  output logic [RI:0]                m_meta_nmatch,
  /// the lowest META_IDX_N matched rule indices (entry i in [RI*i +: RI]), valid below nmatch
  output logic [META_IDX_N*RI-1:0]   m_meta_idx,
  /// every matched rule (bit r: rule slot r), for verification and match-vector export
  output logic [RULES_N-1:0]         m_meta_matched,
  /// table bank the frame was judged with
  output logic                       m_meta_bank,

  /// AXI4-Lite register port
  input  wire logic [AW-1:0]         s_axil_awaddr,
  /// write address protection (ignored)
  input  wire logic [2:0]            s_axil_awprot,
  /// write address valid
  input  wire logic                  s_axil_awvalid,
  /// write address ready
  output logic                       s_axil_awready,
  /// write data
  input  wire logic [31:0]           s_axil_wdata,
  /// write strobes
  input  wire logic [3:0]            s_axil_wstrb,
  /// write data valid
  input  wire logic                  s_axil_wvalid,
  /// write data ready
  output logic                       s_axil_wready,
  /// write response
  output logic [1:0]                 s_axil_bresp,
  /// write response valid
  output logic                       s_axil_bvalid,
  /// write response ready
  input  wire logic                  s_axil_bready,
  /// read address
  input  wire logic [AW-1:0]         s_axil_araddr,
  /// read address protection (ignored)
  input  wire logic [2:0]            s_axil_arprot,
  /// read address valid
  input  wire logic                  s_axil_arvalid,
  /// read address ready
  output logic                       s_axil_arready,
  /// read data
  output logic [31:0]                s_axil_rdata,
  /// read response
  output logic [1:0]                 s_axil_rresp,
  /// read data valid
  output logic                       s_axil_rvalid,
  /// read data ready
  input  wire logic                  s_axil_rready
);
  localparam int unsigned BPB = DATA_W / 8;
  localparam int unsigned LANES = 512 / DATA_W;
  localparam int unsigned LN = LANES > 1 ? $clog2(LANES) : 1;
  // payload RAM: twice the packet buffer's bytes (a frame starts on a 64-byte word)
  localparam int unsigned PAY_WORDS = 2 * PKT_DEPTH * BPB / 64;
  localparam int unsigned MAXB = (FRAME_MAX_B + BPB - 1) / BPB;
  localparam int unsigned LAG_MAX = PKT_DEPTH - MAXB - 64;
  localparam int unsigned GN = dejfa_regs_pkg::GCNT_N;
  localparam int unsigned TBL_AW = dejfa_regs_pkg::TABLES_ADDR_W - 2;
  localparam int unsigned RCNT_AW = dejfa_regs_pkg::RULE_CNT_ADDR_W - 2;
  localparam int unsigned TW = dejfa_regs_pkg::TBL_ID_W + dejfa_regs_pkg::TBL_INDEX_W;

  initial begin
    if (PKT_DEPTH < MAXB + 128) $fatal(1, "dejfa_core: PKT_DEPTH too small for FRAME_MAX_B (%m)");
    if (TBL_AW != TW) $fatal(1, "dejfa_core: TABLES window and table address disagree (%m)");
  end

  // ---------------------------------------------------------------- CSR
  logic ctrl_enable, ctrl_mal_drop, ctrl_ovf_drop, commit_req, snapshot_req;
  logic tbl_wr_en;
  logic [TBL_AW-1:0] tbl_wr_addr;
  logic [31:0] tbl_wr_data;
  logic [3:0] tbl_wr_strb;
  logic rt_wr_en, rt_wr_active;
  logic [dejfa_regs_pkg::RT_ID_W-1:0] rt_wr_tbl;
  logic [15:0] rt_wr_idx;
  logic [32*dejfa_regs_pkg::RT_MAX_WORDS-1:0] rt_wr_data;
  logic rcnt_rd_en, rcnt_rd_valid;
  logic [RCNT_AW-1:0] rcnt_rd_addr;
  logic [31:0] rcnt_rd_data;
  logic active_q, pending_q, snap_busy, snap_done, snap_take;
  logic [GN*64-1:0] gcnt_snap_q;

  dejfa_csr #(
    .DATA_W(DATA_W), .RULES_N(RULES_N), .LITS_N(LITS_N), .LIT_MAX_B(LIT_MAX_B), .HDR_WIN_B(HDR_WIN_B),
    .CNT_W(CNT_W), .CLK_KHZ(CLK_KHZ), .ADDR_N(ADDR_N), .PORTB_N(PORTB_N), .DSIZEB_N(DSIZEB_N),
    .CLS_N(CLS_N), .LITB_N(LITB_N), .CPROG_N(CPROG_N), .CONT_N(CONT_N),
    .FP_KEY_MIN(FP_KEY_MIN), .ADDR_CLS_N(ADDR_CLS_N), .GROUPS_N(GROUPS_N), .SPEC_N(SPEC_N),
    .WCLS_N(WCLS_N), .CSET_N(CSET_N)
  ) u_csr (
    .clk, .rst,
    .s_axil_awaddr, .s_axil_awprot, .s_axil_awvalid, .s_axil_awready,
    .s_axil_wdata, .s_axil_wstrb, .s_axil_wvalid, .s_axil_wready,
    .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
    .s_axil_araddr, .s_axil_arprot, .s_axil_arvalid, .s_axil_arready,
    .s_axil_rdata, .s_axil_rresp, .s_axil_rvalid, .s_axil_rready,
    .ctrl_enable, .ctrl_malformed_drop(ctrl_mal_drop), .ctrl_overflow_drop(ctrl_ovf_drop),
    .commit_req, .stat_active_bank(active_q), .stat_commit_pending(pending_q),
    .snapshot_req, .stat_snapshot_busy(snap_busy), .snapshot_done(snap_done),
    .gcnt_snap(gcnt_snap_q),
    .tbl_wr_en, .tbl_wr_addr, .tbl_wr_data, .tbl_wr_strb,
    .rt_wr_en, .rt_wr_tbl, .rt_wr_active, .rt_wr_idx, .rt_wr_data,
    .rcnt_rd_en, .rcnt_rd_addr, .rcnt_rd_valid, .rcnt_rd_data
  );
  // Table words are written whole (the driver writes 32-bit words).
  wire logic unused_strb = ^tbl_wr_strb;
  // Version 3's tables arrive through the record port; the header path that takes them
  // (dejfa_hdr_path) joins the core in the swap (docs/ARCHITECTURE.md section 6), until then the
  // port's registers answer (RT_COUNT) and its entries go nowhere.
  wire logic unused_rt = ^{rt_wr_en, rt_wr_active, rt_wr_tbl, rt_wr_idx, rt_wr_data};

  // ---------------------------------------------------------------- input side
  wire logic in_hs = s_axis_tvalid && s_axis_tready;
  logic [31:0] beat_q, word_q;
  logic [LN-1:0] lane_q;
  logic in_frame_q;
  logic [31:0] base_q;  // payload word of the current frame's first beat
  wire logic [31:0] base_now = in_frame_q ? base_q : word_q;
  logic fbank_q;        // the bank a frame is judged with: the active bank at its first beat
  wire logic fbank_now = in_frame_q ? fbank_q : active_q;
  always_ff @(posedge clk) begin
    if (in_hs) begin
      beat_q <= beat_q + 1'b1;
      in_frame_q <= !s_axis_tlast;
      if (!in_frame_q) begin
        base_q  <= word_q;
        fbank_q <= active_q;
      end
      if (s_axis_tlast || lane_q == LN'(LANES - 1)) begin
        word_q <= word_q + 1'b1;
        lane_q <= '0;
      end else begin
        lane_q <= lane_q + 1'b1;
      end
    end
    if (rst) begin
      beat_q <= '0;
      word_q <= '0;
      lane_q <= '0;
      in_frame_q <= 1'b0;
      base_q <= '0;
      fbank_q <= 1'b0;
    end
  end

  // ---------------------------------------------------------------- matcher (prefilter)
  logic               mt_valid;
  logic [RULES_N-1:0] mt_seen;
  dejfa_matcher #(.DATA_W(DATA_W), .RULES_N(RULES_N), .FP_KEY_MIN(FP_KEY_MIN)) u_matcher (
    .clk, .rst,
    .tbl_wr_en, .tbl_wr_addr(tbl_wr_addr[TW-1:0]), .tbl_wr_data, .tbl_wr_bank(!active_q),
    .s_axis_tdata, .s_axis_tkeep, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast, .s_bank(fbank_now),
    .m_valid(mt_valid), .m_seen(mt_seen)
  );

  // ---------------------------------------------------------------- parser
  logic        h_valid, h_ip, h_v6, h_frag, h_later, h_pv;
  logic [15:0] h_flen, h_sport, h_dport, h_poff, h_plen;
  logic [3:0]  h_mal;
  logic [1:0]  h_vlans;
  logic [127:0] h_src, h_dst;
  logic [7:0]  h_proto, h_ttl, h_flags, h_itype, h_icode;
  logic [2:0]  h_l4;
  dejfa_parser #(.DATA_W(DATA_W), .HDR_WIN_B(HDR_WIN_B)) u_parser (
    .clk, .rst,
    .s_axis_tdata, .s_axis_tkeep, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast,
    .m_hdr_valid(h_valid), .m_hdr_frame_len(h_flen), .m_hdr_malformed(h_mal), .m_hdr_vlans(h_vlans),
    .m_hdr_ip(h_ip), .m_hdr_v6(h_v6), .m_hdr_src(h_src), .m_hdr_dst(h_dst), .m_hdr_proto(h_proto),
    .m_hdr_ttl(h_ttl), .m_hdr_frag(h_frag), .m_hdr_later_frag(h_later), .m_hdr_l4(h_l4),
    .m_hdr_sport(h_sport), .m_hdr_dport(h_dport), .m_hdr_tcp_flags(h_flags),
    .m_hdr_icmp_type(h_itype), .m_hdr_icmp_code(h_icode),
    .m_hdr_payload_valid(h_pv), .m_hdr_payload_off(h_poff), .m_hdr_payload_len(h_plen)
  );
  wire logic unused_hdr = ^{h_vlans, h_later};

  // {bank, base, stamp} of each frame from its last beat to the parser's descriptor (4 cycles);
  // the matcher's groups arrive with the descriptor, four cycles after the last beat.
  localparam int unsigned PL = 4;
  logic [64:0] fr_d [PL];
  logic [PL-1:0] fr_v;  // packed: Verilator 5.006 cannot assert on unpacked array elements
  always_ff @(posedge clk) begin
    fr_d[0] <= {fbank_now, base_now, beat_q + 1'b1};
    fr_v <= {fr_v[PL-2:0], in_hs && s_axis_tlast} & {PL{!rst}};
    for (int i = 1; i < PL; i++) begin
      fr_d[i] <= fr_d[i-1];
    end
  end
  `DEJFA_ASSERT(ParserLatency_A, h_valid == fr_v[PL-1], clk, rst)
  `DEJFA_ASSERT(MatcherLatency_A, mt_valid == fr_v[PL-1], clk, rst)
  wire logic h_bank = fr_d[PL-1][64];

  // ---------------------------------------------------------------- classifier
  logic [RULES_N-1:0] c_match;
  logic c_valid;
  dejfa_classifier #(
    .RULES_N(RULES_N), .ADDR_N(ADDR_N), .PORTB_N(PORTB_N), .DSIZEB_N(DSIZEB_N), .CLS_N(CLS_N)
  ) u_cls (
    .clk, .rst,
    .tbl_wr_en, .tbl_wr_addr(tbl_wr_addr[TW-1:0]), .tbl_wr_data, .tbl_wr_bank(!active_q),
    .s_hdr_valid(h_valid), .s_hdr_bank(h_bank), .s_hdr_ip(h_ip), .s_hdr_v6(h_v6),
    .s_hdr_src(h_src), .s_hdr_dst(h_dst), .s_hdr_proto(h_proto), .s_hdr_ttl(h_ttl),
    .s_hdr_frag(h_frag), .s_hdr_l4(h_l4), .s_hdr_sport(h_sport), .s_hdr_dport(h_dport),
    .s_hdr_tcp_flags(h_flags), .s_hdr_icmp_type(h_itype), .s_hdr_icmp_code(h_icode),
    .s_hdr_payload_valid(h_pv), .s_hdr_payload_len(h_plen),
    .m_cls_valid(c_valid), .m_cls_match(c_match)
  );

  // The descriptor's other fields wait for the classifier (4 cycles).
  localparam int unsigned CL = 4;
  localparam int unsigned XW = RULES_N + 1 + 4 + 1 + 16 + 16 + 16 + 64;
  logic [XW-1:0] dx_d [CL];
  logic [CL-1:0] dx_v;
  always_ff @(posedge clk) begin
    dx_d[0] <= {mt_seen, h_bank, h_mal, h_pv, h_poff, h_plen, h_flen, fr_d[PL-1][63:0]};
    dx_v <= {dx_v[CL-2:0], h_valid} & {CL{!rst}};
    for (int i = 1; i < CL; i++) begin
      dx_d[i] <= dx_d[i-1];
    end
  end
  `DEJFA_ASSERT(ClassifierLatency_A, c_valid == dx_v[CL-1], clk, rst)
  wire logic [XW-1:0] dx = dx_d[CL-1];

  // ---------------------------------------------------------------- content engine + verdict
  logic v_valid, v_drop, v_pass, v_alert, v_over, v_bank;
  logic [3:0] v_mal;
  logic [15:0] v_flen;
  logic [RULES_N-1:0] v_matched;
  dejfa_content #(
    .RULES_N(RULES_N), .LITS_N(LITS_N), .LIT_MAX_B(LIT_MAX_B), .CPROG_N(CPROG_N), .CONT_N(CONT_N),
    .PAY_WORDS(PAY_WORDS), .DATA_W(DATA_W), .LAG_MAX(LAG_MAX), .ENGINES(ENGINES),
    .FIFO_N(DESC_FIFO_N)
  ) u_content (
    .clk, .rst,
    .tbl_wr_en, .tbl_wr_addr(tbl_wr_addr[TW-1:0]), .tbl_wr_data, .tbl_wr_bank(!active_q),
    .pw_en(in_hs), .pw_word(word_q[$clog2(PAY_WORDS)-1:0]), .pw_lane(lane_q), .pw_data(s_axis_tdata),
    .pw_count(word_q), .beat_count(beat_q),
    .s_valid(c_valid), .s_bank(dx[XW-1-RULES_N]), .s_hdr(c_match), .s_seen(dx[XW-1 -: RULES_N]),
    .s_malformed(dx[XW-2-RULES_N -: 4]), .s_payload_valid(dx[XW-6-RULES_N]), .s_payload_off(dx[111:96]), .s_payload_len(dx[95:80]),
    .s_frame_len(dx[79:64]), .s_base(dx[63:32]), .s_stamp(dx[31:0]),
    .ctrl_malformed_drop(ctrl_mal_drop), .ctrl_overflow_drop(ctrl_ovf_drop),
    .m_valid(v_valid), .m_drop(v_drop), .m_pass_rule(v_pass), .m_alert(v_alert),
    .m_overflow(v_over), .m_malformed(v_mal), .m_frame_len(v_flen), .m_bank(v_bank),
    .m_matched(v_matched)
  );

  // CONTROL.ENABLE = 0: every frame passes unjudged (counted as passed, nothing matched).
  logic en_q;  // ENABLE as seen by the verdict stage
  always_ff @(posedge clk) en_q <= ctrl_enable;
  wire logic [RULES_N-1:0] f_matched = en_q ? v_matched : '0;
  wire logic f_drop = en_q && v_drop;
  wire logic f_alert = en_q && v_alert;
  wire logic f_pass = en_q && v_pass;
  wire logic f_over = en_q && v_over;

  // ---------------------------------------------------------------- packet buffer
  logic pass_pulse, drop_pulse;
  dejfa_pktbuf #(.DATA_W(DATA_W), .USER_W(USER_W), .DEPTH(PKT_DEPTH)) u_buf (
    .clk, .rst,
    .s_axis_tdata, .s_axis_tkeep, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast, .s_axis_tuser,
    .s_vd_valid(v_valid), .s_vd_drop(f_drop),
    .m_axis_tdata, .m_axis_tkeep, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast, .m_axis_tuser,
    .m_pass_pulse(pass_pulse), .m_drop_pulse(drop_pulse)
  );
  wire logic unused_pulses = pass_pulse ^ drop_pulse;

  // ---------------------------------------------------------------- per-rule counters
  dejfa_counters #(.RULES_N(RULES_N)) u_cnt (
    .clk, .rst,
    .s_valid(v_valid), .s_match(f_matched), .s_bytes(v_flen),
    .snap_req(snapshot_req), .snap_take, .snap_busy, .snap_done,
    .rd_en(rcnt_rd_en), .rd_addr(rcnt_rd_addr[RI+1:0]), .rd_valid(rcnt_rd_valid), .rd_data(rcnt_rd_data)
  );
  wire logic unused_rcnt = ^rcnt_rd_addr[RCNT_AW-1:RI+2];

  // ---------------------------------------------------------------- global counters
  logic [63:0] g_q [GN];
  always_ff @(posedge clk) begin
    if (v_valid) begin
      g_q[dejfa_regs_pkg::GCNT_RX_PKTS]   <= g_q[dejfa_regs_pkg::GCNT_RX_PKTS] + 64'd1;
      g_q[dejfa_regs_pkg::GCNT_RX_BYTES]  <= g_q[dejfa_regs_pkg::GCNT_RX_BYTES] + {48'd0, v_flen};
      if (f_drop) g_q[dejfa_regs_pkg::GCNT_DROP_PKTS] <= g_q[dejfa_regs_pkg::GCNT_DROP_PKTS] + 64'd1;
      else g_q[dejfa_regs_pkg::GCNT_PASS_PKTS] <= g_q[dejfa_regs_pkg::GCNT_PASS_PKTS] + 64'd1;
      if (f_alert) g_q[dejfa_regs_pkg::GCNT_ALERT_PKTS] <= g_q[dejfa_regs_pkg::GCNT_ALERT_PKTS] + 64'd1;
      if (v_mal != 4'd0) g_q[dejfa_regs_pkg::GCNT_MALFORMED_PKTS] <= g_q[dejfa_regs_pkg::GCNT_MALFORMED_PKTS] + 64'd1;
      if (f_over) g_q[dejfa_regs_pkg::GCNT_OVERFLOW_PKTS] <= g_q[dejfa_regs_pkg::GCNT_OVERFLOW_PKTS] + 64'd1;
    end
    if (rst) for (int i = 0; i < GN; i++) g_q[i] <= '0;
  end
  // The global snapshot is taken in the cycle the per-rule one is (snap_take: the request
  // cycle, or later if it had to wait for the clearing or a running snapshot).
  always_ff @(posedge clk) begin
    if (snap_take) for (int i = 0; i < GN; i++) gcnt_snap_q[64*i +: 64] <= g_q[i];
    if (rst) gcnt_snap_q <= '0;
  end

  // ---------------------------------------------------------------- banks and COMMIT
  logic [15:0] inflight_q [2];  // frames of each bank from their first beat to their verdict
  always_ff @(posedge clk) begin
    for (int b = 0; b < 2; b++) begin
      inflight_q[b] <= inflight_q[b] + 16'(in_hs && !in_frame_q && active_q == 1'(b)) -
                       16'(v_valid && v_bank == 1'(b));
    end
    if (commit_req && !pending_q) begin
      active_q  <= !active_q;
      pending_q <= 1'b1;
    end else if (pending_q && inflight_q[!active_q] == '0) begin
      pending_q <= 1'b0;
    end
    if (rst) begin
      active_q <= 1'b0;
      pending_q <= 1'b0;
      inflight_q[0] <= '0;
      inflight_q[1] <= '0;
    end
  end

  // ---------------------------------------------------------------- metadata
  // The matched-rule count as a tree of adders (dejfa_ones), the lowest META_IDX_N indices by
  // dejfa_first_k: one priority tree per pipeline stage, each clearing the bit it found, with every
  // other field carried beside it (META_IDX_N cycles from the verdict). The first form, one loop
  // over the rules counting as it went, was a serial chain of RULES_N adders (1,269 cells at 10g);
  // the second, the META_IDX_N trees chained in one cycle, was the 100g core's longest path (78
  // cells; docs/HARDWARE.md "Synthesis").
  logic [RI:0] nm;
  dejfa_ones #(.N(RULES_N)) u_nm (.v(f_matched), .cnt(nm));
  localparam int unsigned SIDE_W = 25 + RI + 1;
  logic [SIDE_W-1:0] m_side;
  dejfa_first_k #(.N(RULES_N), .K(META_IDX_N), .SIDE_W(SIDE_W)) u_meta (
    .clk, .rst,
    .s_valid(v_valid), .s_v(f_matched),
    .s_side({f_drop, f_pass, f_alert, f_over, v_mal, v_flen, v_bank, nm}),
    .m_valid(m_meta_valid), .m_v(m_meta_matched), .m_side(m_side), .m_idx(m_meta_idx)
  );
  assign {m_meta_drop, m_meta_pass_rule, m_meta_alert, m_meta_overflow, m_meta_malformed,
          m_meta_frame_len, m_meta_bank, m_meta_nmatch} = m_side;
endmodule
