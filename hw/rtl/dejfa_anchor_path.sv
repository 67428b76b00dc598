// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_anchor_path: version 3's content candidates, from the line's beats to each candidate
 * rule's header check (issue #25; docs/ARCHITECTURE.md section 7; docs/HARDWARE.md "Anchor
 * path"). The blocks of step 4 in a row, as the core will instance them, with one table-write
 * port for all of their tables (hw/dejfa_regs.toml [[rtable]] ids, as dejfa_rec_port delivers
 * them):
 *
 *   dejfa_anchor_filter   every byte lane's hash, marked lanes           (ANCH_BITS)
 *   dejfa_anchor_confirm  the anchors of 4-8 bytes found in each beat     (ANCH_RANK, ANCH_REC)
 *   dejfa_anchor_short    the anchors of 1-3 bytes new in their frame     (ANCH_SHORT)
 *   dejfa_anchor_seen     the long anchors new in their frame
 *   dejfa_anchor_expand   new anchors to their rule ranges, E rules a cycle (ANCH_RANGE, SHORT_RANGE)
 *   dejfa_cand_check      each rule's header group against the frame's    (CONT_REC, GROUP_REC)
 *                         header descriptor
 *
 * Inputs, none with back-pressure (the line never stalls): the beats (s_*, with the bank the
 * frame reads); per frame, in frame order, its payload bounds (b_*: [b_lo, b_hi), b_hi at most
 * the frame's length) and its header descriptor (d_*: dejfa_hdr_path's). Every frame from reset
 * gets one of each. Output: dejfa_cand_check's, per cycle up to E candidate rules of one frame
 * with their header hits, then the frame's end with whether it was shed (m_*), frames in order.
 *
 * The short anchors' block wants a frame's bounds with its first beat, which the parser knows
 * only once its header window is full (ARCHITECTURE.md section 7, "Anchor confirm": bounds
 * first), so its beats wait for them in a queue of SQD beats, as the confirm's queue waits for
 * them too. A frame's bounds come within SQD - 2 beats of its first beat (the parser's contract:
 * its 128-byte window is 2 beats at 100g and 16 at 10g); a full queue is a breach of it
 * (asserted), not a shed. A frame's candidates wait in dejfa_cand_check (stage X) until its
 * descriptor is written, so the descriptor must come soon enough that no more than XQ of the
 * expansion's outputs wait: the parser's early descriptor, with its early bounds (neither built
 * yet; today's parser decodes after a frame's last beat). An overflow is asserted, not handled.
 *
 * Table writes go to the bank not being read (each block asserts it where a read could meet it).
 * After reset the seen block clears its tags (m_clearing, ANCHORS_N / BANKS cycles): frames whose
 * anchors arrive then are shed.
 */
module dejfa_anchor_path #(
  /// AXI4-Stream data width in bits (64 or 512)
  parameter int unsigned DATA_W = 64,
  /// the confirm's records (ANCHORS_N)
  parameter int unsigned ANCHORS_N = 4096,
  /// content rule ids CONT_REC holds (RULES_N until the swap)
  parameter int unsigned RULES_N = 256,
  /// header groups (GROUPS_N)
  parameter int unsigned GROUPS_N = 4096,
  /// small-field specs (SPEC_N)
  parameter int unsigned SPEC_N = 512,
  /// complex sets per field kind (CSET_N)
  parameter int unsigned CSET_N = 32,
  /// beats the short anchors' block waits for bounds in, a power of two
  parameter int unsigned SQD = DATA_W >= 128 ? 16 : 32,
  localparam int unsigned W = DATA_W / 8,
  localparam int unsigned E = DATA_W >= 128 ? 8 : 2,
  localparam int unsigned BANKS = DATA_W >= 128 ? 16 : 2,
  localparam int unsigned SCRUB = 32,
  localparam int unsigned TAG_W = $clog2(ANCHORS_N / BANKS * SCRUB) + 3,
  localparam int unsigned RIW = dejfa_regs_pkg::RANGE_REC_FIRST_W,
  localparam int unsigned MAXW = dejfa_regs_pkg::RT_MAX_WORDS
) (
  input  wire logic                   clk,
  input  wire logic                   rst,
  /// table writes, one a cycle: entry tw_idx of table tw_tbl (dejfa_regs_pkg::RT_*) of bank
  /// tw_bank, the record in tw_data's low bits (dejfa_rec_port's tw_data); tables other than
  /// the anchor blocks', CONT_REC and GROUP_REC are ignored
  input  wire logic                   tw_en,
  input  wire logic [dejfa_regs_pkg::RT_ID_W-1:0] tw_tbl,
  input  wire logic                   tw_bank,
  input  wire logic [15:0]            tw_idx,
  input  wire logic [32*MAXW-1:0]     tw_data,
  /// the line's beats (byte k of a beat in bits 8k+7:8k) and the bank their frame reads
  input  wire logic                   s_valid,
  input  wire logic [DATA_W-1:0]      s_data,
  input  wire logic [W-1:0]           s_keep,
  input  wire logic                   s_last,
  input  wire logic                   s_bank,
  /// per frame, in order: its payload's bounds
  input  wire logic                   b_valid,
  input  wire logic [15:0]            b_lo,
  input  wire logic [15:0]            b_hi,
  /// per frame, in order: its header descriptor (dejfa_hdr_path's d_*)
  input  wire logic                   d_valid,
  input  wire logic                   d_ip,
  input  wire logic [15:0]            d_src,
  input  wire logic [15:0]            d_dst,
  input  wire logic [16:0]            d_sport,
  input  wire logic [16:0]            d_dport,
  input  wire logic [4*CSET_N-1:0]    d_cset,
  input  wire logic [SPEC_N-1:0]      d_spec,
  /// per lane: a candidate rule of frame m_frame, whether its header matched and whether the
  /// confirm decides it (dejfa_cand_check's m_decided); the frame's end
  /// (m_end) with whether it was shed (m_shed; m_full: for a full queue or FIFO)
  output logic [E-1:0]                m_valid,
  output logic [E*RIW-1:0]            m_rule,
  output logic [E-1:0]                m_hit,
  output logic [E-1:0]                m_decided,
  output logic [TAG_W-1:0]            m_frame,
  output logic                        m_end,
  output logic                        m_shed,
  output logic                        m_full,
  /// the seen block clears its tags after reset
  output logic                        m_clearing
);
  localparam int unsigned HW = dejfa_regs_pkg::ANCHOR_HASH_W;
  localparam int unsigned TAW = HW - 6;
  localparam int unsigned IDW = $clog2(ANCHORS_N);
  localparam int unsigned TWA = IDW > TAW ? IDW : TAW;
  localparam int unsigned NR = (DATA_W >= 128 ? DATA_W / 32 : 4) + 2;
  localparam int unsigned SHORT_N = dejfa_regs_pkg::ANCHOR_SHORT_N;
  localparam int unsigned SQL = $clog2(SQD);
  localparam int unsigned RKW = 144;

  initial begin
    if (SQD < 4 || (1 << SQL) != SQD) $fatal(1, "dejfa_anchor_path: SQD must be a power of two >= 4 (%m)");
  end

  // ------------------------------------------------------------------ table writes
  wire logic [dejfa_regs_pkg::RT_ID_W-1:0] t = tw_tbl;
  wire logic tw_bits  = tw_en && t == dejfa_regs_pkg::RT_ANCH_BITS;
  wire logic tw_conf  = tw_en && (t == dejfa_regs_pkg::RT_ANCH_RANK || t == dejfa_regs_pkg::RT_ANCH_REC);
  wire logic tw_short = tw_en && t == dejfa_regs_pkg::RT_ANCH_SHORT;
  wire logic tw_range = tw_en && (t == dejfa_regs_pkg::RT_ANCH_RANGE || t == dejfa_regs_pkg::RT_SHORT_RANGE);

  // ------------------------------------------------------------------ filter
  logic              f_valid, f_last, f_bank;
  logic [DATA_W-1:0] f_data;
  logic [W-1:0]      f_keep, f_pass, f_first;
  logic [W*HW-1:0]   f_hash;
  dejfa_anchor_filter #(.DATA_W(DATA_W)) u_filter (
    .clk, .rst,
    .tw_en(tw_bits), .tw_bank, .tw_addr(tw_idx[TAW-1:0]), .tw_data(tw_data[63:0]),
    .s_valid, .s_data, .s_keep, .s_last, .s_bank,
    .m_valid(f_valid), .m_data(f_data), .m_keep(f_keep), .m_last(f_last), .m_bank(f_bank),
    .m_pass(f_pass), .m_first(f_first), .m_hash(f_hash)
  );
  // (the confirm compares whole beats against the bounds; the filter's pass lanes and keep are
  // for its own test)
  wire logic unused_filter = ^{f_keep, f_pass};

  // ------------------------------------------------------------------ confirm
  logic              c_valid, c_end, c_last, c_shed, c_b, c_b_last, c_b_shed, c_bank, c_b_bank;
  logic [NR-1:0]     c_found, c_sel;
  logic [NR*IDW-1:0] c_id;
  dejfa_anchor_confirm #(.DATA_W(DATA_W), .ANCHORS_N(ANCHORS_N)) u_confirm (
    .clk, .rst,
    .tw_en(tw_conf), .tw_bank, .tw_sel(t == dejfa_regs_pkg::RT_ANCH_REC),
    .tw_addr(tw_idx[TWA-1:0]), .tw_data(tw_data[RKW-1:0]),
    .s_valid(f_valid), .s_data(f_data), .s_last(f_last), .s_bank(f_bank), .s_first(f_first),
    .s_hash(f_hash),
    .b_valid, .b_lo, .b_hi,
    .m_valid(c_valid), .m_found(c_found), .m_id(c_id), .m_sel(c_sel), .m_end(c_end),
    .m_last(c_last), .m_shed(c_shed), .m_b(c_b), .m_b_last(c_b_last), .m_b_shed(c_b_shed),
    .m_bank(c_bank), .m_b_bank(c_b_bank)
  );

  // ------------------------------------------------------------------ short anchors
  // The beats wait for their frame's bounds: a queue of SQD beats (LUTRAM) and a FIFO of bounds
  // per frame (SQD frames: a frame is at least a beat).
  localparam int unsigned QW = DATA_W + 2;
  (* ram_style = "distributed" *) logic [QW-1:0] sq_mem [SQD];
  (* ram_style = "distributed" *) logic [31:0]   sb_mem [SQD];
  logic [SQL-1:0] sq_wp_q, sq_rp_q, sb_wp_q, sb_rp_q;
  logic [SQL:0]   sq_cnt_q, sb_cnt_q;
  logic [QW-1:0]  sq_head;
  logic [31:0]    sb_head;
  logic           sq_go, sb_pop;
  assign sq_head = sq_mem[sq_rp_q];
  assign sb_head = sb_mem[sb_rp_q];
  assign sq_go = sq_cnt_q != '0 && sb_cnt_q != '0;
  assign sb_pop = sq_go && sq_head[DATA_W];
  always_ff @(posedge clk) begin
    if (s_valid) begin
      sq_mem[sq_wp_q] <= {s_bank, s_last, s_data};
      sq_wp_q <= sq_wp_q + 1'b1;
    end
    if (b_valid) begin
      sb_mem[sb_wp_q] <= {b_hi, b_lo};
      sb_wp_q <= sb_wp_q + 1'b1;
    end
    if (sq_go) sq_rp_q <= sq_rp_q + 1'b1;
    if (sb_pop) sb_rp_q <= sb_rp_q + 1'b1;
    sq_cnt_q <= sq_cnt_q + (SQL+1)'(s_valid) - (SQL+1)'(sq_go);
    sb_cnt_q <= sb_cnt_q + (SQL+1)'(b_valid) - (SQL+1)'(sb_pop);
    if (rst) begin
      sq_wp_q <= '0;
      sq_rp_q <= '0;
      sb_wp_q <= '0;
      sb_rp_q <= '0;
      sq_cnt_q <= '0;
      sb_cnt_q <= '0;
    end
  end

  logic               sh_valid, sh_last, sh_bank;
  logic [SHORT_N-1:0] sh_found, sh_new;
  dejfa_anchor_short #(.DATA_W(DATA_W)) u_short (
    .clk, .rst,
    .tw_en(tw_short), .tw_bank, .tw_sel(tw_idx[9:8]), .tw_row(tw_idx[7:0]),
    .tw_data(tw_data[SHORT_N-1:0]),
    .s_valid(sq_go), .s_data(sq_head[DATA_W-1:0]), .s_last(sq_head[DATA_W]),
    .s_bank(sq_head[DATA_W+1]), .s_lo(sb_head[15:0]), .s_hi(sb_head[31:16]),
    .m_valid(sh_valid), .m_last(sh_last), .m_bank(sh_bank), .m_found(sh_found), .m_new(sh_new)
  );
  wire logic unused_short = ^sh_found;

  // ------------------------------------------------------------------ seen tags
  logic [BANKS-1:0]       r_valid, r_bank, r_room;
  logic [BANKS*IDW-1:0]   r_rec;
  logic [BANKS*TAG_W-1:0] r_frame;
  logic                   e_valid, e_ready, e_shed, e_full;
  logic [TAG_W-1:0]       e_frame;
  dejfa_anchor_seen #(.DATA_W(DATA_W), .ANCHORS_N(ANCHORS_N)) u_seen (
    .clk, .rst,
    .s_valid(c_valid), .s_found(c_found), .s_id(c_id), .s_sel(c_sel), .s_end(c_end),
    .s_last(c_last), .s_shed(c_shed), .s_b(c_b), .s_b_last(c_b_last), .s_b_shed(c_b_shed),
    .s_bank(c_bank), .s_b_bank(c_b_bank),
    .m_clear(m_clearing), .m_room(r_room),
    .m_valid(r_valid), .m_rec(r_rec), .m_frame(r_frame), .m_bank(r_bank),
    .d_valid(e_valid), .d_ready(e_ready), .d_frame(e_frame), .d_shed(e_shed), .d_full(e_full)
  );

  // ------------------------------------------------------------------ expansion
  logic [E-1:0]     x_valid, x_bank;
  logic [E*RIW-1:0] x_rule;
  logic [TAG_W-1:0] x_frame;
  logic             x_end, x_shed, x_full;
  dejfa_anchor_expand #(.DATA_W(DATA_W), .ANCHORS_N(ANCHORS_N)) u_expand (
    .clk, .rst,
    .tw_en(tw_range), .tw_bank, .tw_sel(t == dejfa_regs_pkg::RT_SHORT_RANGE),
    .tw_addr(tw_idx[IDW-1:0]), .tw_data(tw_data[dejfa_regs_pkg::RANGE_REC_W-1:0]),
    .r_valid, .r_rec, .r_frame, .r_bank, .r_room,
    .d_valid(e_valid), .d_frame(e_frame), .d_shed(e_shed), .d_full(e_full), .d_ready(e_ready),
    .s_valid(sh_valid), .s_last(sh_last), .s_bank(sh_bank), .s_new(sh_new),
    .m_valid(x_valid), .m_rule(x_rule), .m_bank(x_bank), .m_frame(x_frame), .m_end(x_end),
    .m_shed(x_shed), .m_full(x_full)
  );

  // ------------------------------------------------------------------ header check
  dejfa_cand_check #(
    .DATA_W(DATA_W), .RULES_N(RULES_N), .GROUPS_N(GROUPS_N), .SPEC_N(SPEC_N), .CSET_N(CSET_N),
    .TAG_W(TAG_W)
  ) u_check (
    .clk, .rst,
    .tw_en, .tw_tbl, .tw_bank, .tw_idx, .tw_data(tw_data[dejfa_regs_pkg::GROUP_REC_W-1:0]),
    .d_valid, .d_ip, .d_src, .d_dst, .d_sport, .d_dport, .d_cset, .d_spec,
    .c_valid(x_valid), .c_rule(x_rule), .c_bank(x_bank), .c_frame(x_frame), .c_end(x_end),
    .c_shed(x_shed), .c_full(x_full),
    .m_valid, .m_rule, .m_hit, .m_decided, .m_frame, .m_end, .m_shed, .m_full
  );

  if (32 * MAXW > dejfa_regs_pkg::GROUP_REC_W) begin : g_unused
    wire logic unused_hi = ^tw_data[32*MAXW-1:dejfa_regs_pkg::GROUP_REC_W];
  end

  // The parser's contract: bounds come soon enough that the short anchors' queue never fills.
  `DEJFA_ASSERT(ShortQueueFits_A, !(s_valid && sq_cnt_q == (SQL+1)'(SQD)), clk, rst)
  `DEJFA_ASSERT(ShortBoundsFit_A, !(b_valid && sb_cnt_q == (SQL+1)'(SQD)), clk, rst)
endmodule

`resetall
`default_nettype wire
