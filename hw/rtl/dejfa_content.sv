// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"
`include "dejfa_form.svh"

/*
 * dejfa_content: the content engine and verdict stage (docs/HARDWARE.md "Content engine").
 *
 * Frame bytes are written into a payload RAM of PAY_WORDS 64-byte words (each frame starts on a
 * word; the core drives the write port). One descriptor per frame arrives with its header match
 * (the classifier's rule bits), payload offset/length, first payload word and input-beat stamp.
 * For every enabled rule with contents whose header matched, in index order, the engine runs the
 * rule's content program with Suricata's inspection algorithm (docs/SEMANTICS.md §5, the same
 * control flow as content_chain_match in host/model/src/content.cpp): per content a window, the first
 * occurrence in it, recursion into the next content, backtracking when the next content has
 * `within`, negation, the recursion limit. A search compares one 64-byte word of start positions
 * per cycle against the content's first piece (64 comparators of LIT_MAX_B bytes); longer
 * contents verify their further pieces one per cycle.
 *
 * ENGINES engines (dejfa_inspect) work side by side, each on its own frame: a frame goes to the
 * lowest-numbered engine that can take it, an order FIFO records which, and results are collected
 * in that order, so verdicts leave in frame order.
 *
 * Bounded work: a frame is abandoned (flag overflow, the content rules not yet decided do not
 * match, CONTROL.OVERFLOW_DROP decides) when the input has moved more than LAG_MAX beats past
 * its last beat (the packet buffer would otherwise fill and stall the line), when the
 * descriptor FIFO reaches FIFO_HI, or when its payload words could be overwritten. Frames whose
 * matching rules have no contents are decided in the cycle they are taken from the FIFO, so the
 * engine takes one frame per cycle whenever there is no content work.
 *
 * Verdict (decide() in host/model/src/refmodel.cpp): matched = header-only rules | content rules whose
 * program matched, among enabled rules; a matched pass rule passes and suppresses alerts;
 * otherwise a matched drop/reject rule drops; malformed and overflow frames follow CONTROL.
 */
module dejfa_content #(
  /// rule slots
  parameter int unsigned RULES_N = 256,
  /// literal slots
  parameter int unsigned LITS_N = 512,
  /// bytes per literal slot (64: one payload word)
  parameter int unsigned LIT_MAX_B = 64,
  /// content-program entries
  parameter int unsigned CPROG_N = 1024,
  /// contents per rule
  parameter int unsigned CONT_N = 32,
  /// input data width in bits (payload write lanes)
  parameter int unsigned DATA_W = 64,
  // The defaults below are the core's values for its default PKT_DEPTH and FRAME_MAX_B (the
  // register map's datapath constants), so the block's unit test runs as in the core.
  /// payload RAM words of 64 bytes (a power of two): twice the packet buffer's bytes
  parameter int unsigned PAY_WORDS = 2 * dejfa_regs_pkg::PKT_DEPTH * (DATA_W / 8) / 64,
  /// descriptor FIFO entries (a power of two)
  parameter int unsigned FIFO_N = DATA_W >= 512 ? 512 : 128,
  /// abandon a frame when the input is this many beats past its last beat
  parameter int unsigned LAG_MAX = dejfa_regs_pkg::PKT_DEPTH -
                                   (dejfa_regs_pkg::FRAME_MAX_B + DATA_W / 8 - 1) / (DATA_W / 8) - 64,
  /// Suricata's inspection_recursion_limit
  parameter int unsigned REC_LIMIT = 3000,
  /// inspection engines working side by side (each frame to the first free engine)
  parameter int unsigned ENGINES = DATA_W >= 512 ? 4 : 2,
  /// prefilter group entries each engine expands per cycle (docs/HARDWARE.md)
  parameter int unsigned FPL = DATA_W >= 512 ? 8 : 4,
  /// 1: the engines' simulation form, 0: their synthesis form (dejfa_form.svh)
  parameter int unsigned SIM_FORM = `DEJFA_SIM_FORM,
  /// table word address width (derived)
  localparam int unsigned TW = dejfa_regs_pkg::TBL_ID_W + dejfa_regs_pkg::TBL_INDEX_W,
  /// rule index width (derived)
  localparam int unsigned RI = $clog2(RULES_N),
  /// payload RAM lane index width (derived)
  localparam int unsigned LN = (512 / DATA_W) > 1 ? $clog2(512 / DATA_W) : 1
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous reset, active high
  input  wire logic                rst,

  /// table write (TABLES window): RULE_FLAGS, LIT_BYTES, PROG
  input  wire logic                tbl_wr_en,
  /// table word address {id, index}
  input  wire logic [TW-1:0]       tbl_wr_addr,
  /// table write data
  input  wire logic [31:0]         tbl_wr_data,
  /// bank written (the shadow)
  input  wire logic                tbl_wr_bank,

  /// payload RAM write: one DATA_W lane of a 64-byte word
  input  wire logic                pw_en,
  /// payload RAM word (physical)
  input  wire logic [$clog2(PAY_WORDS)-1:0] pw_word,
  /// lane within the word
  input  wire logic [LN-1:0]       pw_lane,
  /// lane data (byte 0 in bits 7:0)
  input  wire logic [DATA_W-1:0]   pw_data,
  /// payload words written so far (free running): frames older than PAY_WORDS are gone
  input  wire logic [31:0]         pw_count,
  /// input beats so far (free running)
  input  wire logic [31:0]         beat_count,

  /// descriptor valid (one per frame, in order; never more than the FIFO holds, asserted)
  input  wire logic                s_valid,
  /// table bank the frame is judged with
  input  wire logic                s_bank,
  /// classifier result: rules whose header part matched
  input  wire logic [RULES_N-1:0]  s_hdr,
  /// matcher result: prefilter groups marked in the frame
  input  wire logic [RULES_N-1:0]  s_seen,
  /// malformed reason (0 none)
  input  wire logic [3:0]          s_malformed,
  /// payload valid
  input  wire logic                s_payload_valid,
  /// payload offset in the frame
  input  wire logic [15:0]         s_payload_off,
  /// payload length
  input  wire logic [15:0]         s_payload_len,
  /// frame length in bytes
  input  wire logic [15:0]         s_frame_len,
  /// payload word counter value at the frame's first word
  input  wire logic [31:0]         s_base,
  /// beat counter value at the frame's last beat
  input  wire logic [31:0]         s_stamp,

  /// policy: drop malformed frames
  input  wire logic                ctrl_malformed_drop,
  /// policy: drop frames whose inspection overflowed
  input  wire logic                ctrl_overflow_drop,

  /// verdict valid (one per descriptor, in order)
  output logic                     m_valid,
  /// drop the frame
  output logic                     m_drop,
  /// a pass rule matched (alerts suppressed)
  output logic                     m_pass_rule,
  /// at least one rule alerted
  output logic                     m_alert,
  /// a drop or reject rule matched (before a pass rule suppresses it): with m_policy_drop and
  /// m_pass_rule, what the core needs to join other matches to this verdict
  output logic                     m_rule_drop,
  /// the malformed or overflow policy drops the frame
  output logic                     m_policy_drop,
  /// inspection abandoned (overflow)
  output logic                     m_overflow,
  /// malformed reason
  output logic [3:0]               m_malformed,
  /// frame length
  output logic [15:0]              m_frame_len,
  /// bank the frame was judged with
  output logic                     m_bank,
  /// matched rules (enabled; header and contents)
  output logic [RULES_N-1:0]       m_matched
);
  localparam int unsigned FI = $clog2(FIFO_N);
  localparam int unsigned FIFO_HI = FIFO_N - 24;  // room for descriptors still in the pipeline
  localparam int unsigned IW = dejfa_regs_pkg::TBL_INDEX_W;

  initial begin
    if (LIT_MAX_B != 64) $fatal(1, "dejfa_content: LIT_MAX_B must be 64 (one payload word) (%m)");
    if (LITS_N * 16 > dejfa_regs_pkg::TBL_LIT_BYTES_IDS << IW) $fatal(1, "dejfa_content: LIT_BYTES window too small (%m)");
    if (CPROG_N * 4 > dejfa_regs_pkg::TBL_PROG_IDS << IW) $fatal(1, "dejfa_content: PROG window too small (%m)");
    if (FIFO_N < 32) $fatal(1, "dejfa_content: FIFO_N must be at least 32 (%m)");
  end

  // ---------------------------------------------------------------- rule masks (2 banks)
  logic [RULES_N-1:0] cmask_q [2];  // rule has contents
  logic [RULES_N-1:0] en_q    [2];  // rule enabled
  logic [RULES_N-1:0] pass_q  [2];  // action pass
  logic [RULES_N-1:0] drop_q  [2];  // action drop or reject
  wire logic [dejfa_regs_pkg::TBL_ID_W-1:0] wid = tbl_wr_addr[TW-1 -: dejfa_regs_pkg::TBL_ID_W];
  wire logic [IW-1:0] widx = tbl_wr_addr[IW-1:0];
  wire logic          w_rule = wid == dejfa_regs_pkg::TBL_RULE_FLAGS && 32'(widx) < 32'(RULES_N);
  wire logic [RI-1:0] wr_rule = widx[RI-1:0];
  // RULE_FLAGS fields (hw/dejfa_regs.toml [rule_flags]); action 0 alert, 1 reject, 2 drop, 3 pass
  wire logic [dejfa_regs_pkg::RF_ACTION_W-1:0] w_action =
      tbl_wr_data[dejfa_regs_pkg::RF_ACTION_LSB +: dejfa_regs_pkg::RF_ACTION_W];
  wire logic [dejfa_regs_pkg::RF_NCONTENTS_W-1:0] w_ncont =
      tbl_wr_data[dejfa_regs_pkg::RF_NCONTENTS_LSB +: dejfa_regs_pkg::RF_NCONTENTS_W];
  always_ff @(posedge clk) begin
    if (tbl_wr_en && w_rule) begin
      cmask_q[tbl_wr_bank][wr_rule] <= w_ncont != '0;
      en_q[tbl_wr_bank][wr_rule]    <= tbl_wr_data[dejfa_regs_pkg::RF_ENABLED_LSB];
      pass_q[tbl_wr_bank][wr_rule]  <= w_action == 2'd3;
      drop_q[tbl_wr_bank][wr_rule]  <= w_action == 2'd1 || w_action == 2'd2;
    end
  end

  // ---------------------------------------------------------------- descriptor FIFO
  localparam int unsigned DW = RULES_N + 1 + RULES_N + 4 + 1 + 16 + 16 + 16 + 32 + 32;
  logic [DW-1:0] fifo_mem [FIFO_N];
  logic [FI:0]   fifo_wr_q, fifo_rd_q;
  wire logic [FI:0] fifo_cnt = fifo_wr_q - fifo_rd_q;
  wire logic     fifo_empty = fifo_cnt == '0;
  logic          fifo_pop;
  always_ff @(posedge clk) begin
    if (s_valid) begin
      fifo_mem[fifo_wr_q[FI-1:0]] <= {s_seen, s_bank, s_hdr, s_malformed, s_payload_valid, s_payload_off,
                                       s_payload_len, s_frame_len, s_base, s_stamp};
    end
    if (rst) begin
      fifo_wr_q <= '0;
      fifo_rd_q <= '0;
    end else begin
      if (s_valid) fifo_wr_q <= fifo_wr_q + 1'b1;
      if (fifo_pop) fifo_rd_q <= fifo_rd_q + 1'b1;
    end
  end
  `DEJFA_ASSERT(DescFifoNotFull_A, !(s_valid && fifo_cnt == (FI+1)'(FIFO_N)), clk, rst)

  wire logic [DW-1:0] head = fifo_mem[fifo_rd_q[FI-1:0]];

  // ---------------------------------------------------------------- engines
  localparam int unsigned EI = ENGINES > 1 ? $clog2(ENGINES) : 1;
  // A frame goes to the lowest-numbered engine that can take it (idle, a result slot free); the
  // order FIFO remembers which engine took each frame, so results are collected in frame order.
  // At most 2 x ENGINES frames are in the engines (each: one in work, two result slots, and it
  // takes a frame only with a slot free), so the order FIFO cannot overflow.
  localparam int unsigned ON = 2 ** $clog2(2 * ENGINES);  // a power of two for the pointers
  localparam int unsigned OI = $clog2(ON);
  logic [EI-1:0] deal, coll;  // engine taking the next frame; engine whose result is next
  logic [EI-1:0] ord_mem [ON];
  logic [OI:0]   ord_wr_q, ord_rd_q;
  wire logic     ord_empty = ord_wr_q == ord_rd_q;
  logic [ENGINES-1:0] e_ready, e_free, e_valid, e_over, e_bank, e_take;
  logic [RULES_N-1:0] e_hdr [ENGINES];
  logic [RULES_N-1:0] e_cm  [ENGINES];
  logic [3:0]         e_mal [ENGINES];
  logic [15:0]        e_flen[ENGINES];
  wire logic fifo_hi = fifo_cnt >= (FI+1)'(FIFO_HI);
  wire logic any_free = e_free != '0;
  always_comb begin
    deal = '0;
    for (int e = ENGINES - 1; e >= 0; e--) if (e_free[e]) deal = EI'(e);
  end
  assign fifo_pop = e_ready != '0;
  assign coll = ord_mem[ord_rd_q[OI-1:0]];
  for (genvar e = 0; e < ENGINES; e++) begin : g_eng
    assign e_take[e] = !ord_empty && coll == EI'(e);
    dejfa_inspect #(
      .RULES_N(RULES_N), .LITS_N(LITS_N), .CPROG_N(CPROG_N), .CONT_N(CONT_N), .PAY_WORDS(PAY_WORDS),
      .DATA_W(DATA_W), .LAG_MAX(LAG_MAX), .REC_LIMIT(REC_LIMIT), .FPL(FPL), .DW(DW),
      .SIM_FORM(SIM_FORM)
    ) u_inspect (
      .clk, .rst, .tbl_wr_en, .tbl_wr_addr, .tbl_wr_data, .tbl_wr_bank,
      .pw_en, .pw_word, .pw_lane, .pw_data, .pw_count, .beat_count, .fifo_hi,
      .s_valid(!fifo_empty && any_free && deal == EI'(e)), .s_ready(e_ready[e]),
      .s_free(e_free[e]), .s_desc(head),
      .m_valid(e_valid[e]), .m_ready(e_take[e]), .m_overflow(e_over[e]), .m_bank(e_bank[e]),
      .m_hdr(e_hdr[e]), .m_cmatch(e_cm[e]), .m_malformed(e_mal[e]), .m_frame_len(e_flen[e])
    );
  end

  `DEJFA_ASSERT(OrderFifoNotFull_A, !(fifo_pop && ord_wr_q - ord_rd_q == (OI+1)'(ON)), clk, rst)
  `DEJFA_ASSERT(DealtToTheChosenEngine_A, !fifo_pop || e_ready[deal], clk, rst)

  // Results are taken in dealing order: the engine at the order FIFO's head, as soon as it has
  // one.
  logic               res_valid_q, res_over_q, res_bank_q;
  logic [RULES_N-1:0] res_hdr_q, res_cm_q;
  logic [3:0]         res_mal_q;
  logic [15:0]        res_flen_q;
  always_ff @(posedge clk) begin
    res_valid_q <= !ord_empty && e_valid[coll];
    res_over_q  <= e_over[coll];
    res_bank_q  <= e_bank[coll];
    res_hdr_q   <= e_hdr[coll];
    res_cm_q    <= e_cm[coll];
    res_mal_q   <= e_mal[coll];
    res_flen_q  <= e_flen[coll];
    if (fifo_pop) begin
      ord_mem[ord_wr_q[OI-1:0]] <= deal;
      ord_wr_q <= ord_wr_q + 1'b1;
    end
    if (!ord_empty && e_valid[coll]) ord_rd_q <= ord_rd_q + 1'b1;
    if (rst) begin
      res_valid_q <= 1'b0;
      ord_wr_q <= '0;
      ord_rd_q <= '0;
    end
  end

  // ---------------------------------------------------------------- verdict
  wire logic [RULES_N-1:0] matched = ((res_hdr_q & ~cmask_q[res_bank_q]) | res_cm_q) & en_q[res_bank_q];
  wire logic pass_rule = |(matched & pass_q[res_bank_q]);
  always_ff @(posedge clk) begin
    m_valid     <= res_valid_q && !rst;
    m_matched   <= matched;
    m_pass_rule <= pass_rule;
    m_alert     <= !pass_rule && matched != '0;
    m_drop      <= (!pass_rule && |(matched & drop_q[res_bank_q])) ||
                   (res_mal_q != 4'd0 && ctrl_malformed_drop) || (res_over_q && ctrl_overflow_drop);
    m_rule_drop <= |(matched & drop_q[res_bank_q]);
    m_policy_drop <= (res_mal_q != 4'd0 && ctrl_malformed_drop) || (res_over_q && ctrl_overflow_drop);
    m_overflow  <= res_over_q;
    m_malformed <= res_mal_q;
    m_frame_len <= res_flen_q;
    m_bank      <= res_bank_q;
  end

endmodule
