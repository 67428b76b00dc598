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
  /// anchor confirm records per bank (reported; the confirm enters the core with #25)
  parameter int unsigned ANCHORS_N = 4096,
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
  localparam int unsigned RI = $clog2(RULES_N),
  /// group id width (derived)
  localparam int unsigned GL = $clog2(GROUPS_N),
  /// rule id width: wide slots, then two ids per indexed group (derived)
  localparam int unsigned IDW = $clog2(RULES_N + 2 * GROUPS_N)
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
  /// the lowest META_IDX_N matched rule ids (entry i in [IDW*i +: IDW]), valid below nmatch
  output logic [META_IDX_N*IDW-1:0]  m_meta_idx,
  /// every matched wide rule (bit r: rule slot r), for verification and match-vector export
  output logic [RULES_N-1:0]         m_meta_matched,
  /// matched indexed rules: bit 2 l + k, position k of lane l's group (rule id RULES_N + 2 g + k)
  output logic [15:0]                m_meta_imatch,
  /// the lanes' groups (lane l in [GL*l +: GL])
  output logic [8*GL-1:0]            m_meta_igroup,
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
  // The header path's latency to the wide slots (version 1's classifier took 4 cycles) and the
  // verdict stage's cycle come off the content engines' lag bound (docs/HARDWARE.md).
  localparam int unsigned HP_L = 2 * $clog2(ADDR_CLS_N) + 3;
  localparam int unsigned HP_M = HP_L + 5;  // to the verify lanes
  localparam int unsigned LAG_MAX = PKT_DEPTH - MAXB - 64 - (HP_M - 4) - 1;
  localparam int unsigned GN = dejfa_regs_pkg::GCNT_N;
  localparam int unsigned TBL_AW = dejfa_regs_pkg::TABLES_ADDR_W - 2;
  localparam int unsigned RCNT_AW = dejfa_regs_pkg::RULE_CNT_ADDR_W - 2;
  localparam int unsigned TW = dejfa_regs_pkg::TBL_ID_W + dejfa_regs_pkg::TBL_INDEX_W;

  initial begin
    if (PKT_DEPTH < MAXB + 128) $fatal(1, "dejfa_core: PKT_DEPTH too small for FRAME_MAX_B (%m)");
    if (32'(dejfa_regs_pkg::TBL_PROG) + dejfa_regs_pkg::TBL_PROG_IDS > (1 << (TBL_AW - dejfa_regs_pkg::TBL_INDEX_W)) ||
        32'(dejfa_regs_pkg::TBL_LIT_BYTES) + dejfa_regs_pkg::TBL_LIT_BYTES_IDS > (1 << (TBL_AW - dejfa_regs_pkg::TBL_INDEX_W)) ||
        TBL_AW > TW) begin
      $fatal(1, "dejfa_core: the content tables do not lie in the TABLES window (%m)");
    end
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
  logic [dejfa_regs_pkg::RT_FILL_LANES-1:0] rt_wr_lanes;
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
    .WCLS_N(WCLS_N), .CSET_N(CSET_N), .ANCHORS_N(ANCHORS_N)
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
    .rt_wr_en, .rt_wr_tbl, .rt_wr_active, .rt_wr_idx, .rt_wr_lanes, .rt_wr_data,
    .rcnt_rd_en, .rcnt_rd_addr, .rcnt_rd_valid, .rcnt_rd_data
  );
  // Table words are written whole (the driver writes 32-bit words). The window holds the content
  // tables (ids below 2^(TBL_AW - 12)); the blocks decode the full table address.
  wire logic unused_strb = ^tbl_wr_strb;
  wire logic [TW-1:0] tbl_wa = TW'(tbl_wr_addr);

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
    .tbl_wr_en, .tbl_wr_addr(tbl_wa), .tbl_wr_data, .tbl_wr_bank(!active_q),
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

  // ---------------------------------------------------------------- header path
  // Version 3's header classification (dejfa_hdr_path: address classes, spec vector and wide
  // slots, verify lanes; docs/HARDWARE.md "Header path"), its tables written through the record
  // port: a GROUP_EN entry with RT_SEL.ACTIVE to the active bank, everything else to the shadow.
  localparam int unsigned VL = 8;  // verify lanes (the indexed-id selection below is written for 8)
  localparam int unsigned ENW = dejfa_regs_pkg::GROUP_EN_W;
  logic               hp_w_valid, hp_m_valid;
  logic [RULES_N-1:0] hp_wide;
  logic [7:0]         hp_w_side, hp_m_side;
  logic [VL-1:0]   hp_hit;
  logic [VL*GL-1:0]  hp_group;
  logic [VL*ENW-1:0] hp_en;
  // The header descriptor (for the content candidates' lanes, dejfa_cand_check, which join the
  // core with the anchor pipeline at the swap: docs/ARCHITECTURE.md section 7, step 6).
  logic              hd_valid, hd_ip;
  logic [15:0]       hd_src, hd_dst;
  logic [16:0]       hd_sport, hd_dport;
  logic [4*64-1:0]   hd_cset;
  logic [SPEC_N-1:0] hd_spec;
  logic [7:0]        hd_side;
  wire logic unused_desc = ^{hd_valid, hd_ip, hd_src, hd_dst, hd_sport, hd_dport, hd_cset, hd_spec,
                             hd_side};
  dejfa_hdr_path #(
    .ACLS_N(ADDR_CLS_N), .PCLS_N(65536), .GROUPS_N(GROUPS_N), .SPEC_N(SPEC_N), .WIDE_N(RULES_N),
    .WCLS_N(WCLS_N), .CLS_N(CLS_N), .DSIZEB_N(DSIZEB_N), .SIDE_W(8)
  ) u_hdr (
    .clk, .rst,
    .tw_en(rt_wr_en), .tw_tbl(rt_wr_tbl), .tw_bank(rt_wr_active ? active_q : !active_q),
    .tw_idx(rt_wr_idx), .tw_lanes(rt_wr_lanes), .tw_data(rt_wr_data),
    .act_bank(h_bank),
    .s_valid(h_valid), .s_ip(h_ip), .s_v6(h_v6), .s_src(h_src), .s_dst(h_dst), .s_frag(h_frag),
    .s_l4(h_l4), .s_proto(h_proto), .s_ttl(h_ttl), .s_sport(h_sport), .s_dport(h_dport),
    .s_tcp_flags(h_flags), .s_icmp_type(h_itype), .s_icmp_code(h_icode),
    .s_payload_valid(h_pv), .s_payload_len(h_plen), .s_side(fr_d[PL-1][7:0]),
    .w_valid(hp_w_valid), .w_wide(hp_wide), .w_side(hp_w_side),
    .m_valid(hp_m_valid), .m_hit(hp_hit), .m_group(hp_group), .m_en(hp_en), .m_side(hp_m_side),
    .d_valid(hd_valid), .d_ip(hd_ip), .d_src(hd_src), .d_dst(hd_dst), .d_sport(hd_sport),
    .d_dport(hd_dport), .d_cset(hd_cset), .d_spec(hd_spec), .d_side(hd_side)
  );

  // The descriptor's other fields wait for the verify lanes (HP_M cycles) in a delay memory: one
  // write and one read a cycle (a shift register of RULES_N + 150 bits and 38 stages would be
  // 43 K flip-flops at 100g); the wide slots' match waits the 5 cycles from the wide block to
  // the lanes in another. So a frame enters the content block with its lanes, which are then in
  // the lanes FIFO before any verdict can come out. The stamp's low byte travels through the
  // header path too, and the three must agree.
  localparam int unsigned XW = RULES_N + 1 + 4 + 1 + 16 + 16 + 16 + 64;
  logic [5:0]      dx_wp_q;
  logic [HP_M-1:0] dx_v;
  logic [XW-1:0]   dx;
  dejfa_ram_1w1r #(.DEPTH(64), .WIDTH(XW), .STYLE("distributed")) u_dx (
    .clk, .we(1'b1), .waddr(dx_wp_q),
    .wdata({mt_seen, h_bank, h_mal, h_pv, h_poff, h_plen, h_flen, fr_d[PL-1][63:0]}),
    .raddr(dx_wp_q - 6'(HP_M - 1)), .rdata(dx)
  );
  logic [RULES_N+8-1:0] wd;  // {wide slots, stamp byte} of 5 cycles ago
  dejfa_ram_1w1r #(.DEPTH(8), .WIDTH(RULES_N + 8), .STYLE("distributed")) u_wd (
    .clk, .we(1'b1), .waddr(dx_wp_q[2:0]), .wdata({hp_wide, hp_w_side}),
    .raddr(dx_wp_q[2:0] - 3'd4), .rdata(wd)
  );
  always_ff @(posedge clk) begin
    dx_wp_q <= dx_wp_q + 1'b1;
    dx_v <= {dx_v[HP_M-2:0], h_valid} & {HP_M{!rst}};
    if (rst) dx_wp_q <= '0;
  end
  initial begin
    if (HP_M < 7 || HP_M > 63) $fatal(1, "dejfa_core: header path latency out of the delay memory's range (%m)");
  end
  `DEJFA_ASSERT(HeaderPathLatency_A, hp_w_valid == dx_v[HP_L-1], clk, rst)
  `DEJFA_ASSERT(LanesLatency_A, hp_m_valid == dx_v[HP_M-1], clk, rst)
  `DEJFA_ASSERT(HeaderPathAligned_A, !hp_m_valid || (hp_m_side == dx[7:0] && wd[7:0] == dx[7:0]), clk, rst)

  // ---------------------------------------------------------------- content engine
  logic v_valid, v_drop, v_pass, v_alert, v_rdrop, v_pdrop, v_over, v_bank;
  logic [3:0] v_mal;
  logic [15:0] v_flen;
  logic [RULES_N-1:0] v_matched;
  dejfa_content #(
    .RULES_N(RULES_N), .LITS_N(LITS_N), .LIT_MAX_B(LIT_MAX_B), .CPROG_N(CPROG_N), .CONT_N(CONT_N),
    .PAY_WORDS(PAY_WORDS), .DATA_W(DATA_W), .LAG_MAX(LAG_MAX), .ENGINES(ENGINES),
    .FIFO_N(DESC_FIFO_N)
  ) u_content (
    .clk, .rst,
    .tbl_wr_en, .tbl_wr_addr(tbl_wa), .tbl_wr_data, .tbl_wr_bank(!active_q),
    .pw_en(in_hs), .pw_word(word_q[$clog2(PAY_WORDS)-1:0]), .pw_lane(lane_q), .pw_data(s_axis_tdata),
    .pw_count(word_q), .beat_count(beat_q),
    .s_valid(hp_m_valid), .s_bank(dx[XW-1-RULES_N]), .s_hdr(wd[RULES_N+7:8]), .s_seen(dx[XW-1 -: RULES_N]),
    .s_malformed(dx[XW-2-RULES_N -: 4]), .s_payload_valid(dx[XW-6-RULES_N]), .s_payload_off(dx[111:96]), .s_payload_len(dx[95:80]),
    .s_frame_len(dx[79:64]), .s_base(dx[63:32]), .s_stamp(dx[31:0]),
    .ctrl_malformed_drop(ctrl_mal_drop), .ctrl_overflow_drop(ctrl_ovf_drop),
    .m_valid(v_valid), .m_drop(v_drop), .m_pass_rule(v_pass), .m_alert(v_alert),
    .m_rule_drop(v_rdrop), .m_policy_drop(v_pdrop),
    .m_overflow(v_over), .m_malformed(v_mal), .m_frame_len(v_flen), .m_bank(v_bank),
    .m_matched(v_matched)
  );
  // The content block's own verdict covers the wide slots only; the core joins the lanes to its
  // parts below.
  wire logic unused_v = v_drop ^ v_alert;

  // ---------------------------------------------------------------- lanes to the verdict
  // A frame's lanes enter the FIFO as the frame enters the content block and wait, in frame
  // order, for its verdict (at most the content block's descriptors and the engines' frames are
  // in between). Read with the verdict, used one cycle later.
  localparam int unsigned LW = VL * (1 + GL + ENW);
  localparam int unsigned LF = 2 * DESC_FIFO_N;
  localparam int unsigned LFI = $clog2(LF);
  logic [LFI:0]  lf_wr_q, lf_rd_q;
  logic [LW-1:0] lf_head;
  dejfa_ram_1w1r #(.DEPTH(LF), .WIDTH(LW)) u_lanes (
    .clk, .we(hp_m_valid), .waddr(lf_wr_q[LFI-1:0]), .wdata({hp_hit, hp_group, hp_en}),
    .raddr(lf_rd_q[LFI-1:0]), .rdata(lf_head)
  );
  always_ff @(posedge clk) begin
    if (hp_m_valid) lf_wr_q <= lf_wr_q + 1'b1;
    if (v_valid) lf_rd_q <= lf_rd_q + 1'b1;
    if (rst) begin
      lf_wr_q <= '0;
      lf_rd_q <= '0;
    end
  end
  `DEJFA_ASSERT(LanesBeforeVerdict_A, !v_valid || lf_wr_q != lf_rd_q, clk, rst)
  `DEJFA_ASSERT(LanesFifoNotFull_A, !hp_m_valid || lf_wr_q - lf_rd_q != (LFI+1)'(LF), clk, rst)

  // The verdict stage: the content block's verdict and the frame's lanes, one cycle later.
  logic r_valid, r_pass, r_rdrop, r_pdrop, r_over, r_bank;
  logic [3:0] r_mal;
  logic [15:0] r_flen;
  logic [RULES_N-1:0] r_matched;
  always_ff @(posedge clk) begin
    r_valid   <= v_valid && !rst;
    r_pass    <= v_pass;
    r_rdrop   <= v_rdrop;
    r_pdrop   <= v_pdrop;
    r_over    <= v_over;
    r_bank    <= v_bank;
    r_mal     <= v_mal;
    r_flen    <= v_flen;
    r_matched <= v_matched;
  end
  wire logic [VL-1:0]      l_hit   = lf_head[LW-1 -: VL];
  wire logic [VL*GL-1:0]   l_group = lf_head[VL*ENW +: VL*GL];
  wire logic [VL*ENW-1:0]  l_en    = lf_head[VL*ENW-1:0];

  // CONTROL.ENABLE = 0: every frame passes unjudged (counted as passed, nothing matched).
  logic en_q;  // ENABLE as seen by the verdict stage
  always_ff @(posedge clk) en_q <= ctrl_enable;
  // An indexed rule matches when its group's lane hit and GROUP_EN enables its position k
  // (bit 2 l + k); it acts with GROUP_EN's action.
  logic [2*VL-1:0] i_match;
  logic i_pass, i_drop;
  logic [2*VL-1:0] i_act_pass, i_act_drop;
  for (genvar l = 0; l < VL; l++) begin : g_imatch
    wire logic [ENW-1:0] e = l_en[ENW*l +: ENW];
    wire logic [1:0] act0 = e[dejfa_regs_pkg::GROUP_EN_ACT0_LSB +: 2];
    wire logic [1:0] act1 = e[dejfa_regs_pkg::GROUP_EN_ACT1_LSB +: 2];
    assign i_match[2*l]      = en_q && l_hit[l] && e[dejfa_regs_pkg::GROUP_EN_EN0_LSB];
    assign i_match[2*l+1]    = en_q && l_hit[l] && e[dejfa_regs_pkg::GROUP_EN_EN1_LSB];
    assign i_act_pass[2*l]   = act0 == 2'd3;
    assign i_act_pass[2*l+1] = act1 == 2'd3;
    assign i_act_drop[2*l]   = act0 == 2'd1 || act0 == 2'd2;
    assign i_act_drop[2*l+1] = act1 == 2'd1 || act1 == 2'd2;
  end
  assign i_pass = |(i_match & i_act_pass);
  assign i_drop = |(i_match & i_act_drop);
  wire logic [RULES_N-1:0] f_matched = en_q ? r_matched : '0;
  wire logic f_pass  = en_q && (r_pass || i_pass);
  wire logic f_alert = !f_pass && (f_matched != '0 || i_match != '0);
  wire logic f_drop  = en_q && ((!f_pass && (r_rdrop || i_drop)) || r_pdrop);
  wire logic f_over  = en_q && r_over;

  // Each group hits at most one lane (a reversed slot only when the forward test fails), so a
  // rule is counted once per frame.
  for (genvar a = 0; a < VL; a++) begin : g_uniq
    for (genvar b = a + 1; b < VL; b++) begin : g_pair
      `DEJFA_ASSERT(GroupOnOneLane_A, !(r_valid && en_q && l_hit[a] && l_hit[b] &&
                    l_group[GL*a +: GL] == l_group[GL*b +: GL]), clk, rst)
    end
  end

  // ---------------------------------------------------------------- packet buffer
  logic pass_pulse, drop_pulse;
  dejfa_pktbuf #(.DATA_W(DATA_W), .USER_W(USER_W), .DEPTH(PKT_DEPTH)) u_buf (
    .clk, .rst,
    .s_axis_tdata, .s_axis_tkeep, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast, .s_axis_tuser,
    .s_vd_valid(r_valid), .s_vd_drop(f_drop),
    .m_axis_tdata, .m_axis_tkeep, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast, .m_axis_tuser,
    .m_pass_pulse(pass_pulse), .m_drop_pulse(drop_pulse)
  );
  wire logic unused_pulses = pass_pulse ^ drop_pulse;

  // ---------------------------------------------------------------- per-rule counters
  // Rule ids: wide slot w is id w (dejfa_counters), position k of indexed group g is id
  // RULES_N + 2 g + k (dejfa_hdr_count, a memory per lane; a read sums the 8 lanes' entries).
  // One SNAPSHOT takes both in the same cycle: the request waits until neither is busy, and
  // SNAP_SEQ counts it once both copies are readable.
  wire logic [RCNT_AW-3:0] rd_id = rcnt_rd_addr[RCNT_AW-1:2];
  wire logic rd_wide = 32'(rd_id) < 32'(RULES_N);
  wire logic [31:0] rd_rel = 32'(rd_id) - 32'(RULES_N);
  logic w_rd_valid;
  logic [31:0] w_rd_data;
  logic w_snap_req, hc_busy, hc_ack;
  logic [4*CNT_W-1:0] hc_data;
  logic hc_rd;
  logic [2:0] hc_lane;
  logic [GL-1:0] hc_g_q;
  logic w_snap_take, w_snap_busy, w_snap_done;
  dejfa_counters #(.RULES_N(RULES_N)) u_cnt (
    .clk, .rst,
    .s_valid(r_valid), .s_match(f_matched), .s_bytes(r_flen),
    .snap_req(w_snap_req), .snap_take(w_snap_take), .snap_busy(w_snap_busy), .snap_done(w_snap_done),
    .rd_en(rcnt_rd_en && rd_wide), .rd_addr(rcnt_rd_addr[RI+1:0]), .rd_valid(w_rd_valid), .rd_data(w_rd_data)
  );
  logic [2*VL-1:0] i_en;
  always_comb begin
    for (int l = 0; l < VL; l++) begin
      i_en[2*l]   = l_en[ENW*l + dejfa_regs_pkg::GROUP_EN_EN0_LSB];
      i_en[2*l+1] = l_en[ENW*l + dejfa_regs_pkg::GROUP_EN_EN1_LSB];
    end
  end
  dejfa_hdr_count #(.GROUPS_N(GROUPS_N), .LANES(VL), .CNT_W(CNT_W)) u_hcnt (
    .clk, .rst,
    .s_valid(r_valid), .s_hit(l_hit & {VL{en_q}}), .s_group(l_group), .s_en(i_en), .s_bytes(r_flen),
    .snap(w_snap_take), .clear(1'b0), .busy(hc_busy),
    .rd_valid(hc_rd), .rd_lane(hc_lane), .rd_group(hc_g_q), .rd_ack(hc_ack), .rd_data(hc_data)
  );

  logic sreq_q, swait_q, sdone_w_q;
  assign w_snap_req = sreq_q && !hc_busy && !swait_q && !w_snap_busy;
  always_ff @(posedge clk) begin
    snap_done <= 1'b0;
    if (snapshot_req) sreq_q <= 1'b1;
    if (w_snap_req) sreq_q <= 1'b0;
    if (w_snap_take) begin
      swait_q   <= 1'b1;
      sdone_w_q <= 1'b0;
    end else if (swait_q) begin
      if (w_snap_done) sdone_w_q <= 1'b1;
      if ((sdone_w_q || w_snap_done) && !hc_busy) begin
        swait_q   <= 1'b0;
        snap_done <= 1'b1;
      end
    end
    if (rst) begin
      sreq_q    <= 1'b0;
      swait_q   <= 1'b0;
      sdone_w_q <= 1'b0;
      snap_done <= 1'b0;
    end
  end
  assign snap_take = w_snap_take;
  assign snap_busy = w_snap_busy || sreq_q || swait_q;
  `DEJFA_ASSERT(SnapshotWhenCountersIdle_A, !(w_snap_take && hc_busy), clk, rst)

  // RULE_CNT reads: a wide id from dejfa_counters; an indexed id as the sum of its 8 lane
  // entries (8 reads, one a cycle, each answered 2 cycles later); beyond the groups, 0.
  logic       hc_busy_rd_q, hc_k_q, hc_hi_q, hc_bytes_q, zero_q;
  logic [3:0] hc_acks_q, hc_lane_q;
  logic [CNT_W-1:0] hc_sum_q;
  assign hc_rd = hc_busy_rd_q && hc_lane_q != 4'd8;
  assign hc_lane = hc_lane_q[2:0];
  wire logic [CNT_W-1:0] hc_field = hc_data[2*CNT_W*hc_k_q + CNT_W*hc_bytes_q +: CNT_W];
  always_ff @(posedge clk) begin
    zero_q <= 1'b0;
    rcnt_rd_valid <= 1'b0;
    if (w_rd_valid) begin
      rcnt_rd_valid <= 1'b1;
      rcnt_rd_data  <= w_rd_data;
    end
    if (zero_q) begin
      rcnt_rd_valid <= 1'b1;
      rcnt_rd_data  <= '0;
    end
    if (rcnt_rd_en && !rd_wide) begin
      if (rd_rel[31:1] < 31'(GROUPS_N)) begin
        hc_busy_rd_q <= 1'b1;
        hc_lane_q    <= '0;
        hc_acks_q    <= '0;
        hc_sum_q     <= '0;
        hc_g_q       <= rd_rel[GL:1];
        hc_k_q       <= rd_rel[0];
        hc_bytes_q   <= rcnt_rd_addr[1];
        hc_hi_q      <= rcnt_rd_addr[0];
      end else begin
        zero_q <= 1'b1;
      end
    end
    if (hc_rd) hc_lane_q <= hc_lane_q + 1'b1;
    if (hc_busy_rd_q && hc_ack) begin
      hc_sum_q  <= hc_sum_q + hc_field;
      hc_acks_q <= hc_acks_q + 1'b1;
      if (hc_acks_q == 4'd7) begin
        hc_busy_rd_q  <= 1'b0;
        rcnt_rd_valid <= 1'b1;
        rcnt_rd_data  <= hc_hi_q ? 32'((hc_sum_q + hc_field) >> 32) : 32'(hc_sum_q + hc_field);
      end
    end
    if (rst) begin
      hc_busy_rd_q  <= 1'b0;
      hc_lane_q     <= '0;
      rcnt_rd_valid <= 1'b0;
      zero_q        <= 1'b0;
    end
  end
  `DEJFA_ASSERT(OneCounterReadAtATime_A, !(rcnt_rd_en && hc_busy_rd_q), clk, rst)

  // ---------------------------------------------------------------- global counters
  logic [63:0] g_q [GN];
  always_ff @(posedge clk) begin
    if (r_valid) begin
      g_q[dejfa_regs_pkg::GCNT_RX_PKTS]   <= g_q[dejfa_regs_pkg::GCNT_RX_PKTS] + 64'd1;
      g_q[dejfa_regs_pkg::GCNT_RX_BYTES]  <= g_q[dejfa_regs_pkg::GCNT_RX_BYTES] + {48'd0, r_flen};
      if (f_drop) g_q[dejfa_regs_pkg::GCNT_DROP_PKTS] <= g_q[dejfa_regs_pkg::GCNT_DROP_PKTS] + 64'd1;
      else g_q[dejfa_regs_pkg::GCNT_PASS_PKTS] <= g_q[dejfa_regs_pkg::GCNT_PASS_PKTS] + 64'd1;
      if (f_alert) g_q[dejfa_regs_pkg::GCNT_ALERT_PKTS] <= g_q[dejfa_regs_pkg::GCNT_ALERT_PKTS] + 64'd1;
      if (r_mal != 4'd0) g_q[dejfa_regs_pkg::GCNT_MALFORMED_PKTS] <= g_q[dejfa_regs_pkg::GCNT_MALFORMED_PKTS] + 64'd1;
      if (f_over) g_q[dejfa_regs_pkg::GCNT_OVERFLOW_PKTS] <= g_q[dejfa_regs_pkg::GCNT_OVERFLOW_PKTS] + 64'd1;
    end
    if (rst) for (int i = 0; i < GN; i++) g_q[i] <= '0;
  end
  // The global snapshot is taken in the cycle the per-rule ones are.
  always_ff @(posedge clk) begin
    if (snap_take) for (int i = 0; i < GN; i++) gcnt_snap_q[64*i +: 64] <= g_q[i];
    if (rst) gcnt_snap_q <= '0;
  end

  // ---------------------------------------------------------------- banks and COMMIT
  logic [15:0] inflight_q [2];  // frames of each bank from their first beat to their verdict
  always_ff @(posedge clk) begin
    for (int b = 0; b < 2; b++) begin
      inflight_q[b] <= inflight_q[b] + 16'(in_hs && !in_frame_q && active_q == 1'(b)) -
                       16'(r_valid && r_bank == 1'(b));
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
  // The matched-rule count as a tree of adders (dejfa_ones), the lowest META_IDX_N wide ids by
  // dejfa_first_k: one priority tree per pipeline stage, each clearing the bit it found, with every
  // other field carried beside it (META_IDX_N cycles from the verdict). The first form, one loop
  // over the rules counting as it went, was a serial chain of RULES_N adders (1,269 cells at 10g);
  // the second, the META_IDX_N trees chained in one cycle, was the 100g core's longest path (78
  // cells; docs/HARDWARE.md "Synthesis"). The indexed ids (at most 16, all above the wide ones)
  // are ordered beside it the same way: stage j takes the lowest (group, k) still pending; a
  // lane's position 0 comes before its position 1, so only the 8 lanes' heads are compared.
  logic [RI:0] nm_w;
  dejfa_ones #(.N(RULES_N)) u_nm (.v(f_matched), .cnt(nm_w));
  logic [4:0] nm_i;
  always_comb begin
    nm_i = '0;
    for (int j = 0; j < 2 * VL; j++) nm_i = nm_i + 5'(i_match[j]);
  end
  wire logic [RI:0] nm = nm_w + (RI+1)'(nm_i);
  localparam int unsigned SIDE_W = 25 + RI + 1 + (RI + 1) + 2 * VL + VL * GL;
  logic [SIDE_W-1:0] m_side;
  logic [META_IDX_N*RI-1:0] w_idx;
  logic [RULES_N-1:0] w_v;
  dejfa_first_k #(.N(RULES_N), .K(META_IDX_N), .SIDE_W(SIDE_W)) u_meta (
    .clk, .rst,
    .s_valid(r_valid), .s_v(f_matched),
    .s_side({f_drop, f_pass, f_alert, f_over, r_mal, r_flen, r_bank, nm, nm_w, i_match, l_group}),
    .m_valid(m_meta_valid), .m_v(w_v), .m_side(m_side), .m_idx(w_idx)
  );
  logic [RI:0] o_nm_w;
  assign {m_meta_drop, m_meta_pass_rule, m_meta_alert, m_meta_overflow, m_meta_malformed,
          m_meta_frame_len, m_meta_bank, m_meta_nmatch, o_nm_w, m_meta_imatch, m_meta_igroup} = m_side;
  assign m_meta_matched = w_v;

  // The indexed ids' ordering, META_IDX_N stages in step with dejfa_first_k.
  logic [2*VL-1:0] ix_rem_q [META_IDX_N];
  logic [VL*GL-1:0] ix_grp_q [META_IDX_N];
  logic [META_IDX_N*IDW-1:0] ix_id_q [META_IDX_N];
  for (genvar j = 0; j < META_IDX_N; j++) begin : g_ix
    logic [2*VL-1:0] rem_in;
    logic [VL*GL-1:0] grp_in;
    logic [META_IDX_N*IDW-1:0] id_in;
    if (j == 0) begin : g_in
      assign rem_in = i_match;
      assign grp_in = l_group;
      assign id_in  = '0;
    end else begin : g_prev
      assign rem_in = ix_rem_q[j-1];
      assign grp_in = ix_grp_q[j-1];
      assign id_in  = ix_id_q[j-1];
    end
    logic          found;
    logic [GL:0]   best;
    logic [2:0]    best_l;
    logic [VL*(GL+1)-1:0] keys;  // lane l's head: {group, position still pending}
    for (genvar l = 0; l < VL; l++) begin : g_key
      assign keys[(GL+1)*l +: GL+1] = {grp_in[GL*l +: GL], !rem_in[2*l]};
    end
    // The lowest key among the lanes with a match pending, as a tournament of 2:1
    // compare-selects in log2(VL) = 3 levels. (A loop comparing each lane with the best so
    // far chained VL comparators in one cycle: the 10g core's longest path, 63 cells, in session
    // 21's synthesis.) A tie keeps the lower lane, as the loop did; a group is on one lane only,
    // so two lanes' keys never tie.
    // Three levels for the 8 lanes, each its own signals (one array for all levels would read
    // and write the same variable, which Verilator evaluates as a combinational loop).
    logic        v0 [8];
    logic [GL:0] k0 [8];
    logic [2:0]  l0 [8];
    logic        v1 [4];
    logic [GL:0] k1 [4];
    logic [2:0]  l1 [4];
    logic        v2 [2];
    logic [GL:0] k2 [2];
    logic [2:0]  l2 [2];
    for (genvar l = 0; l < 8; l++) begin : g_leaf
      assign v0[l] = rem_in[2*l] || rem_in[2*l+1];
      assign k0[l] = keys[(GL+1)*l +: GL+1];
      assign l0[l] = 3'(l);
    end
    for (genvar n = 0; n < 4; n++) begin : g_l1
      wire logic a = v0[2*n] && (!v0[2*n+1] || k0[2*n] <= k0[2*n+1]);
      assign v1[n] = v0[2*n] || v0[2*n+1];
      assign k1[n] = a ? k0[2*n] : k0[2*n+1];
      assign l1[n] = a ? l0[2*n] : l0[2*n+1];
    end
    for (genvar n = 0; n < 2; n++) begin : g_l2
      wire logic a = v1[2*n] && (!v1[2*n+1] || k1[2*n] <= k1[2*n+1]);
      assign v2[n] = v1[2*n] || v1[2*n+1];
      assign k2[n] = a ? k1[2*n] : k1[2*n+1];
      assign l2[n] = a ? l1[2*n] : l1[2*n+1];
    end
    wire logic a3 = v2[0] && (!v2[1] || k2[0] <= k2[1]);
    assign found  = v2[0] || v2[1];
    assign best   = a3 ? k2[0] : k2[1];
    assign best_l = a3 ? l2[0] : l2[1];
    logic [IDW-1:0]  best_id;
    logic [2*VL-1:0] taken;
    assign best_id = IDW'(RULES_N) + IDW'(best);
    always_comb begin
      taken = '0;
      if (found) taken[{best_l, best[0]}] = 1'b1;
    end
    always_ff @(posedge clk) begin
      ix_rem_q[j] <= rem_in & ~taken;
      ix_grp_q[j] <= grp_in;
      ix_id_q[j]  <= id_in;
      if (found) ix_id_q[j][IDW*j +: IDW] <= best_id;
    end
  end
  wire logic [META_IDX_N*IDW-1:0] i_idx = ix_id_q[META_IDX_N-1];
  // Entry j: the j-th lowest wide id while there are, then the indexed ids in order.
  always_comb begin
    m_meta_idx = '0;
    for (int j = 0; j < META_IDX_N; j++) begin
      if (32'(j) < 32'(o_nm_w)) m_meta_idx[IDW*j +: IDW] = IDW'(w_idx[RI*j +: RI]);
      else m_meta_idx[IDW*j +: IDW] = i_idx[IDW*(32'(j) - 32'(o_nm_w)) +: IDW];
    end
  end
endmodule
