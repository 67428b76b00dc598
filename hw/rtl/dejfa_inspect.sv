// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"
`include "dejfa_form.svh"

/*
 * dejfa_inspect: one content-inspection engine (docs/HARDWARE.md "Content engine"). Takes one
 * frame descriptor at a time, expands the prefilter groups the matcher marked into candidate
 * rules, and runs every candidate's content program with Suricata's inspection algorithm over
 * its own copy of the payload RAM and the literal/program tables; the result (content rules that
 * matched, or the overflow flag when the frame's bound is reached) waits in one of two result
 * slots until it is collected, so the engine can take its next frame meanwhile. dejfa_content
 * runs ENGINES of these side by side, each frame to the first engine free.
 */
module dejfa_inspect #(
  /// rule slots
  parameter int unsigned RULES_N = 256,
  /// literal slots
  parameter int unsigned LITS_N = 512,
  /// content-program entries
  parameter int unsigned CPROG_N = 1024,
  /// contents per rule
  parameter int unsigned CONT_N = 32,
  /// payload RAM words of 64 bytes (a power of two)
  parameter int unsigned PAY_WORDS = 512,
  /// input data width in bits (payload write lanes)
  parameter int unsigned DATA_W = 64,
  /// abandon a frame when the input is this many beats past its last beat
  parameter int unsigned LAG_MAX = 800,
  /// Suricata's inspection_recursion_limit
  parameter int unsigned REC_LIMIT = 3000,
  /// prefilter group entries expanded per cycle (a power of two)
  parameter int unsigned FPL = 4,
  /// descriptor width (dejfa_content's FIFO entry)
  parameter int unsigned DW = 2 * RULES_N + 118,
  /// 1: the simulation form of the byte compares and the pickers, 0: the synthesis form
  /// (dejfa_form.svh)
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
  /// table write (TABLES window)
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
  /// lane data
  input  wire logic [DATA_W-1:0]   pw_data,
  /// payload words written so far (free running)
  input  wire logic [31:0]         pw_count,
  /// input beats so far (free running)
  input  wire logic [31:0]         beat_count,
  /// the shared descriptor FIFO has reached its bound
  input  wire logic                fifo_hi,
  /// descriptor offered
  input  wire logic                s_valid,
  /// descriptor taken
  output logic                     s_ready,
  /// a descriptor offered now would be taken (idle, a result slot free); independent of s_valid
  output logic                     s_free,
  /// descriptor {seen, bank, hdr, malformed, payload valid/offset/length, frame length, base, stamp}
  input  wire logic [DW-1:0]       s_desc,
  /// result held until collected
  output logic                     m_valid,
  /// result collected
  input  wire logic                m_ready,
  /// inspection abandoned
  output logic                     m_overflow,
  /// bank of the frame
  output logic                     m_bank,
  /// header match of the frame
  output logic [RULES_N-1:0]       m_hdr,
  /// content rules whose program matched
  output logic [RULES_N-1:0]       m_cmatch,
  /// malformed reason
  output logic [3:0]               m_malformed,
  /// frame length
  output logic [15:0]              m_frame_len
);
  localparam int unsigned LI = $clog2(LITS_N);
  localparam int unsigned PI = $clog2(CPROG_N);
  localparam int unsigned CI = $clog2(CONT_N);
  localparam int unsigned PW = $clog2(PAY_WORDS);
  localparam int unsigned IW = dejfa_regs_pkg::TBL_INDEX_W;

  initial begin
    if (FPL < 2 || (FPL & (FPL - 1)) != 0 || FPL > RULES_N)
      $fatal(1, "dejfa_inspect: FPL must be a power of two from 2 to RULES_N (%m)");
  end

  // ---------------------------------------------------------------- tables (2 banks)
  logic [RULES_N-1:0] cmask_q [2];  // rule has contents
  logic [RULES_N-1:0] en_q    [2];  // rule enabled
  logic [RULES_N-1:0] nofp_q  [2];  // contents without a fast key: always inspected
  logic [2*RI:0]      grp_mem [2*RULES_N];  // prefilter group: {count, first}
  // rules of the groups (FP_RULES), entry e in lane e % FPL so that FPL consecutive entries
  // are read in one cycle
  localparam int unsigned FB = $clog2(FPL);
  logic [RI-1:0]      rl_mem  [FPL][2*RULES_N/FPL];
  logic [PI-1:0]      rinfo   [2*RULES_N];  // first program entry
  (* ram_style = "block" *) logic [511:0] lit_mem [2*LITS_N];
  (* ram_style = "block" *) logic [127:0] prog_mem[2*CPROG_N];

  wire logic [dejfa_regs_pkg::TBL_ID_W-1:0] wid = tbl_wr_addr[TW-1 -: dejfa_regs_pkg::TBL_ID_W];
  wire logic [IW-1:0] widx = tbl_wr_addr[IW-1:0];
  wire logic [31:0]   widx32 = 32'(widx);
  wire logic          wb = tbl_wr_bank;
  // index across the ids a table spans
  wire logic [31:0]   lit_i  = 32'(5'(wid - dejfa_regs_pkg::TBL_LIT_BYTES)) * (32'd1 << IW) + widx32;
  wire logic [31:0]   prog_i = 32'(5'(wid - dejfa_regs_pkg::TBL_PROG)) * (32'd1 << IW) + widx32;
  wire logic          w_rule = wid == dejfa_regs_pkg::TBL_RULE_FLAGS && widx32 < 32'(RULES_N);
  wire logic          w_lit  = wid >= dejfa_regs_pkg::TBL_LIT_BYTES &&
                               {1'b0, wid} < 6'(dejfa_regs_pkg::TBL_LIT_BYTES) + 6'(dejfa_regs_pkg::TBL_LIT_BYTES_IDS) &&
                               lit_i < 32'(LITS_N * 16);
  wire logic          w_prog = wid >= dejfa_regs_pkg::TBL_PROG &&
                               {1'b0, wid} < 6'(dejfa_regs_pkg::TBL_PROG) + 6'(dejfa_regs_pkg::TBL_PROG_IDS) &&
                               prog_i < 32'(CPROG_N * 4);
  wire logic [RI-1:0] wr_rule = widx[RI-1:0];
  wire logic [dejfa_regs_pkg::RF_NCONTENTS_W-1:0] wr_ncont =
      tbl_wr_data[dejfa_regs_pkg::RF_NCONTENTS_LSB +: dejfa_regs_pkg::RF_NCONTENTS_W];
  wire logic [31:0]   fpg_i = widx32 - 32'(dejfa_regs_pkg::TBL_FP_GROUPS_OFFSET);
  wire logic [31:0]   fpr_i = widx32 - 32'(dejfa_regs_pkg::TBL_FP_RULES_OFFSET);
  wire logic          w_fpg = wid == dejfa_regs_pkg::TBL_FP_GROUPS &&
                              widx32 >= 32'(dejfa_regs_pkg::TBL_FP_GROUPS_OFFSET) && fpg_i < 32'(RULES_N);
  wire logic          w_fpr = wid == dejfa_regs_pkg::TBL_FP_RULES &&
                              widx32 >= 32'(dejfa_regs_pkg::TBL_FP_RULES_OFFSET) && fpr_i < 32'(RULES_N);

  always_ff @(posedge clk) begin
    if (tbl_wr_en && w_rule) begin
      cmask_q[wb][wr_rule] <= wr_ncont != '0;
      nofp_q[wb][wr_rule]  <= tbl_wr_data[dejfa_regs_pkg::RF_NOFP_LSB];
      en_q[wb][wr_rule]    <= tbl_wr_data[dejfa_regs_pkg::RF_ENABLED_LSB];
      rinfo[{wb, wr_rule}] <= tbl_wr_data[dejfa_regs_pkg::RF_PROG_FIRST_LSB +: PI];
    end
    if (tbl_wr_en && w_fpg) grp_mem[{wb, fpg_i[RI-1:0]}] <= {tbl_wr_data[16 +: RI+1], tbl_wr_data[RI-1:0]};
    for (int b = 0; b < FPL; b++) begin
      if (tbl_wr_en && w_fpr && fpr_i[FB-1:0] == FB'(b)) rl_mem[b][{wb, fpr_i[RI-1:FB]}] <= tbl_wr_data[RI-1:0];
    end
    // Lanes by constant part-selects: Yosys merges them into one write port with one enable per
    // 32-bit lane, which block RAM's byte enables take; a variable part-select gives every bit
    // its own enable and the RAM one block RAM per bit or two (the first whole-core synthesis:
    // 128 + 64 + 128 block RAMs per engine for these three RAMs, docs/HARDWARE.md).
    for (int l = 0; l < 16; l++) begin
      if (tbl_wr_en && w_lit && lit_i[3:0] == 4'(l)) lit_mem[{wb, lit_i[LI+3:4]}][32*l +: 32] <= tbl_wr_data;
    end
    for (int l = 0; l < 4; l++) begin
      if (tbl_wr_en && w_prog && prog_i[1:0] == 2'(l)) prog_mem[{wb, prog_i[PI+1:2]}][32*l +: 32] <= tbl_wr_data;
    end
  end

  // ---------------------------------------------------------------- payload RAM (even/odd words)
  (* ram_style = "block" *) logic [511:0] pay_even [PAY_WORDS/2];
  (* ram_style = "block" *) logic [511:0] pay_odd  [PAY_WORDS/2];
  always_ff @(posedge clk) begin
    for (int l = 0; l < 512 / DATA_W; l++) begin  // constant lanes, as for lit_mem above
      if (pw_en && !pw_word[0] && 32'(pw_lane) == l) pay_even[pw_word[PW-1:1]][DATA_W*l +: DATA_W] <= pw_data;
      if (pw_en && pw_word[0] && 32'(pw_lane) == l)  pay_odd[pw_word[PW-1:1]][DATA_W*l +: DATA_W] <= pw_data;
    end
  end

  // ---------------------------------------------------------------- descriptor
  wire logic               fifo_empty = !s_valid;
  logic                    fifo_pop;
  wire logic [DW-1:0]      head = s_desc;
  localparam int unsigned BT = DW - RULES_N - 1;  // bank bit; the seen groups above it
  wire logic [RULES_N-1:0] h_seen = head[DW-1 -: RULES_N];
  wire logic               h_bank = head[BT];
  wire logic [RULES_N-1:0] h_hdr = head[BT-1 -: RULES_N];
  wire logic [31:0]        h_stamp = head[31:0];
  wire logic [31:0]        h_base = head[63:32];
  wire logic [RULES_N-1:0] h_cand = h_hdr & cmask_q[h_bank] & en_q[h_bank];
  wire logic [RULES_N-1:0] h_cand_nofp = h_cand & nofp_q[h_bank];
  assign s_ready = fifo_pop;

  // ---------------------------------------------------------------- engine state
  typedef enum logic [3:0] {
    S_IDLE, S_FG, S_FL, S_FR, S_PICK, S_ENTER, S_WIN, S_SCAN, S_CMP, S_VCMP, S_UNWIND
  } state_t;
  state_t state_q;

  // current frame
  logic               cur_bank_q;
  logic [RULES_N-1:0] cur_hdr_q;
  logic [3:0]         cur_mal_q;
  logic [15:0]        cur_poff_q, cur_plen_q, cur_flen_q;
  logic               cur_pv_q;
  logic [31:0]        cur_base_q, cur_stamp_q;
  logic [RULES_N-1:0] cand_q, cmatch_q;
  // prefilter: groups still to expand, rules they name
  logic [RULES_N-1:0] seen_q, acc_q;
  logic [RI:0]        fcnt_q;
  logic [RI-1:0]      fi_q;
  // current rule
  logic [RI-1:0]      rule_q;
  logic [PI-1:0]      pfirst_q;
  logic [CI-1:0]      lvl_q;
  logic [31:0]        count_q;
  logic [31:0]        boff_q;  // det_ctx->buffer_offset
  // per level
  logic [31:0]        pbo_q   [CONT_N];  // prev_buffer_offset
  logic [31:0]        poff_q  [CONT_N];  // prev_offset (0: none)
  logic [31:0]        mo_q    [CONT_N];  // match offset (end) of the level's occurrence
  logic               tail_q  [CONT_N];  // 1: waiting as next_or_match, 0: after a match
  logic [15:0]        lflag_q [CONT_N];
  logic [15:0]        llen_q  [CONT_N];
  // current content / search
  logic [15:0]        c_flags_q, c_len_q, c_np_q;
  logic [LI-1:0]      c_lit_q;
  logic [31:0]        a_lo_q, a_hi_q;  // absolute frame byte positions of the first/last start
  logic [31:0]        sw_q;            // frame word being compared
  logic [6:0]         k0_q;            // byte of the found start within its word
  logic [15:0]        vj_q;            // piece being verified

  // ---------------------------------------------------------------- reads (registered)
  logic [PI-1:0]  rinfo_q;
  logic           rinfo_ok_q;  // rinfo_q is the lowest candidate's: cand_q unchanged last cycle
  logic           grp_ok_q;    // grp_q is the lowest marked group's: seen_q unchanged last cycle
  logic [2*RI:0]  grp_q;
  logic [RI-1:0]  rl_q [FPL];  // entries rl_rd .. rl_rd + FPL - 1, entry e in lane e % FPL
  logic [RI-1:0]  gpick, rl_rd;
  // the group's last S_FR cycle takes the next marked group's entry straight away when grp_q
  // already holds it (S_FL's work done in the same cycle)
  wire logic      fr_chain = state_q == S_FR && fcnt_q <= (RI+1)'(FPL) && seen_q != '0 && grp_ok_q;
  logic [RI-1:0]  rl_e [FPL];  // lane b: the first entry at or after rl_rd that is b modulo FPL
  always_comb begin
    for (int b = 0; b < FPL; b++) rl_e[b] = rl_rd + RI'(FB'(FB'(b) - rl_rd[FB-1:0]));
  end
  logic [127:0]   prog_q;
  logic [511:0]   lit_q;
  logic [511:0]   w0_q, w1_q;  // frame words rd, rd+1
  logic [RI-1:0]  pick;
  logic [PI-1:0]  prog_rd;
  logic [LI-1:0]  lit_rd;
  logic [PW-1:0]  pay_rd;      // frame word relative to the frame's first word (mod PAY_WORDS)

  wire logic [PW-1:0] p0 = cur_base_q[PW-1:0] + pay_rd;
  wire logic [PW-2:0] p0h = p0[PW-1:1];
  logic [511:0] rd_even, rd_odd;
  always_ff @(posedge clk) begin
    rinfo_q <= rinfo[{cur_bank_q, pick}];
    grp_q   <= grp_mem[{cur_bank_q, gpick}];
    for (int b = 0; b < FPL; b++) rl_q[b] <= rl_mem[b][{cur_bank_q, rl_e[b][RI-1:FB]}];
    prog_q  <= prog_mem[{cur_bank_q, prog_rd}];
    lit_q   <= lit_mem[{cur_bank_q, lit_rd}];
    rd_even <= pay_even[p0[0] ? p0h + 1'b1 : p0h];  // words p0 and p0 + 1: one even, one odd
    rd_odd  <= pay_odd[p0h];
  end
  logic rd_swap_q;  // word rd was odd
  always_ff @(posedge clk) rd_swap_q <= p0[0];
  always_comb begin
    w0_q = rd_swap_q ? rd_odd : rd_even;
    w1_q = rd_swap_q ? rd_even : rd_odd;
  end

  // ---------------------------------------------------------------- comparators
  function automatic logic [7:0] fold(input logic [7:0] c, input logic nc);
    fold = (nc && c >= 8'h41 && c <= 8'h5A) ? c + 8'h20 : c;
  endfunction

  // The bytes of the piece being compared: byte j counts when j < min(64, len - 64 j_piece).
  // Kept as a register set one cycle ahead (prest_q: the length from that piece on), so that no
  // subtraction or compare precedes the 64 x 64 byte compares (docs/HARDWARE.md, "Synthesis").
  logic [15:0] prest_q;
  logic [63:0] pmask_q;
  function automatic logic [63:0] piece_mask(input logic [15:0] r);
    for (int j = 0; j < 64; j++) piece_mask[j] = 16'(j) < r;
  endfunction
  wire logic        nc = c_flags_q[dejfa_regs_pkg::PF_NOCASE];
  wire logic [1023:0] win = {w1_q, w0_q};
  logic [63:0] hit;
  if (SIM_FORM != 0) begin : g_cmp_sim
    // The same 64 x 64 compares with each byte folded once and a start's 64 bytes compared as
    // one 512-bit vector, and only in the two states that read hit (S_CMP registers it into
    // hit_q, S_VCMP tests one bit); elsewhere hit is 0 and nothing reads it. The synthesis form
    // evaluated 4,096 folded byte compares per engine in every cycle, busy or idle: 65 % of the
    // 100g model's time once the pickers were scans (docs/PERFORMANCE.md "Simulation profile").
    always_comb begin : cmp
      logic [1023:0] wf;
      logic [511:0]  lf, bm;
      hit = '0;
      wf = '0;
      lf = '0;
      bm = '0;
      if (state_q == S_CMP || state_q == S_VCMP) begin
        for (int i = 0; i < 128; i++) wf[8*i +: 8] = fold(win[8*i +: 8], nc);
        for (int j = 0; j < 64; j++) begin
          lf[8*j +: 8] = fold(lit_q[8*j +: 8], nc);
          bm[8*j +: 8] = {8{pmask_q[j]}};
        end
        for (int k = 0; k < 64; k++) hit[k] = ((wf[8*k +: 512] ^ lf) & bm) == '0;
      end
    end
  end else begin : g_cmp_synth
    for (genvar k = 0; k < 64; k++) begin : g_cmp
      always_comb begin
        hit[k] = 1'b1;
        for (int j = 0; j < 64; j++) begin
          if (pmask_q[j] && fold(win[(k + j) * 8 +: 8], nc) != fold(lit_q[j * 8 +: 8], nc)) hit[k] = 1'b0;
        end
      end
    end
  end

  // The scan is two stages (docs/HARDWARE.md, "Synthesis"): in S_CMP word sw_q is compared and
  // its starts inside [a_lo, a_hi] registered (hit_q, with the word in hsw_q and whether it was
  // the window's last in hlast_q) while the next word is read; the cycle after, the first start
  // is taken from the register (a priority tree: dejfa_first_set says why) as the next word is
  // compared. A search costs one cycle more, a word still one cycle. Outside S_CMP the register
  // is cleared, so the first cycle of every search decides nothing.
  logic [63:0] hit_in, hit_q;
  logic [31:0] hsw_q;    // the word hit_q was compared in; frozen from the find until S_CMP
  logic        hlast_q;  // hit_q's word was the window's last
  always_comb begin
    for (int k = 0; k < 64; k++) begin
      hit_in[k] = hit[k] && {sw_q[25:0], 6'(k)} >= a_lo_q && {sw_q[25:0], 6'(k)} <= a_hi_q;
    end
  end
  logic        found;
  logic [5:0]  found_k;
  dejfa_first_set #(.N(64)) u_found (.v(hit_q), .any(found), .idx(found_k));
  always_ff @(posedge clk) begin
    hit_q   <= state_q == S_CMP ? hit_in : '0;
    hlast_q <= state_q == S_CMP && {sw_q[25:0], 6'd63} >= a_hi_q;
    if (state_q == S_CMP && !found) hsw_q <= sw_q;
  end

  // lowest set candidate rule, lowest group still to expand
  /* verilator lint_off PINCONNECTEMPTY */  // only the index is needed: an empty vector picks 0
  dejfa_first_set #(.N(RULES_N)) u_pick (.v(cand_q), .any(), .idx(pick));
  dejfa_first_set #(.N(RULES_N)) u_gpick (.v(seen_q), .any(), .idx(gpick));
  /* verilator lint_on PINCONNECTEMPTY */
  assign rl_rd = (state_q == S_FL || fr_chain) ? grp_q[RI-1:0] : fi_q + RI'(FPL);

  // ---------------------------------------------------------------- window of the current level
  wire logic [15:0] pf = prog_q[31:16];
  wire logic [31:0] e_len = {16'd0, prog_q[15:0]};
  wire logic [31:0] e_off = {16'd0, prog_q[79:64]};
  wire logic [31:0] e_dep = {16'd0, prog_q[95:80]};
  wire logic [31:0] e_dist = {{16{pf[dejfa_regs_pkg::PF_DIST_NEG]}}, prog_q[111:96]};
  wire logic [31:0] e_within = {16'd0, prog_q[127:112]};
  wire logic        e_rel = pf[dejfa_regs_pkg::PF_DISTANCE] | pf[dejfa_regs_pkg::PF_WITHIN];
  wire logic [31:0] buflen = cur_pv_q ? {16'd0, cur_plen_q} : 32'd0;
  logic [31:0] w_off, w_dep, w_lim;
  always_comb begin
    w_dep = buflen;
    w_lim = '0;
    if (e_rel) begin
      w_off = pbo_q[lvl_q];
      if (pf[dejfa_regs_pkg::PF_DISTANCE]) begin
        if (e_dist[31] && (32'd0 - e_dist) > w_off) w_off = '0;
        else w_off = w_off + e_dist;
      end
      if (pf[dejfa_regs_pkg::PF_WITHIN]) begin
        w_lim = pbo_q[lvl_q] + e_within + (pf[dejfa_regs_pkg::PF_DISTANCE] ? e_dist : 32'd0);
        if ($signed(w_dep) > $signed(w_lim)) w_dep = w_lim;
      end
    end else begin
      w_off = pf[dejfa_regs_pkg::PF_OFFSET] ? e_off : 32'd0;
      if (pf[dejfa_regs_pkg::PF_DEPTH]) w_dep = w_off + e_dep;
    end
    if (poff_q[lvl_q] != 32'd0) w_off = poff_q[lvl_q];
    if (w_dep > buflen) w_dep = buflen;
  end
  wire logic w_empty = w_off > w_dep || w_dep == 32'd0;
  wire logic w_short = (w_dep - w_off) < e_len;

  // ---------------------------------------------------------------- bounds
  wire logic [31:0] lag = beat_count - cur_stamp_q;
  wire logic [31:0] h_lag = beat_count - h_stamp;
  wire logic over_now = lag > 32'(LAG_MAX) || fifo_hi ||
                        (pw_count - cur_base_q) > 32'(PAY_WORDS - 4);
  wire logic over_head = h_lag > 32'(LAG_MAX) || fifo_hi ||
                         (pw_count - h_base) > 32'(PAY_WORDS - 4);

  // ---------------------------------------------------------------- result register
  // Two result slots (a queue): the engine takes its next frame while the previous result
  // still waits for the frames dealt before it to be collected.
  logic               res_v_q    [2];
  logic               res_over_q [2];
  logic               res_bank_q [2];
  logic [RULES_N-1:0] res_hdr_q  [2];
  logic [RULES_N-1:0] res_cm_q   [2];
  logic [3:0]         res_mal_q  [2];
  logic [15:0]        res_flen_q [2];
  logic               res_wr_q, res_rd_q;
  assign s_free = state_q == S_IDLE && !(res_v_q[0] && res_v_q[1]);

  // the level's occurrence ends at mo = start + len (start in payload coordinates)
  wire logic [31:0] ppos = {16'd0, cur_poff_q};
  wire logic [31:0] vfound_a = {hsw_q[25:0], 6'd0} + {25'd0, k0_q};
  // occ_end = start - ppos + len. The part that does not depend on the byte found comes from
  // registers alone (beside the compares), and its upper 26 bits both as they are and plus one;
  // after the first-match tree only a 6-bit add and a select remain (a carry-select adder:
  // written out, since Yosys' alumacc would otherwise merge all four terms into one 32-bit
  // chain behind the tree).
  wire logic [31:0] occ_base = {hsw_q[25:0], 6'd0} - ppos + {16'd0, c_len_q};
  wire logic [25:0] occ_hi1 = occ_base[31:6] + 26'd1;
  wire logic [6:0]  occ_lo = {1'b0, occ_base[5:0]} + {1'b0, state_q == S_VCMP ? k0_q[5:0] : found_k};
  wire logic [31:0] occ_end = {occ_lo[6] ? occ_hi1 : occ_base[31:6], occ_lo[5:0]};

  // ---------------------------------------------------------------- control
  always_comb begin
    fifo_pop = 1'b0;
    if (s_free && !fifo_empty) fifo_pop = 1'b1;
    // read addresses (data the next cycle)
    prog_rd = pfirst_q + PI'(lvl_q);
    if (state_q == S_UNWIND) prog_rd = pfirst_q + PI'(CI'(lvl_q - 1'b1));
    lit_rd = c_lit_q;
    pay_rd = sw_q[PW-1:0];
    case (state_q)
      S_PICK: prog_rd = rinfo_q;  // the picked rule's first entry, for S_WIN
      S_WIN: begin
        lit_rd = prog_q[32 +: LI];
        pay_rd = PW'((w_off + ppos) >> 6);
      end
      S_CMP: begin
        // the next word; when a start was found in hsw_q, the first further piece's words
        pay_rd = found ? PW'(hsw_q + 1'b1) : PW'(sw_q + 1'b1);
        if (found) lit_rd = c_lit_q + 1'b1;
      end
      S_VCMP: begin
        pay_rd = PW'(hsw_q + {16'd0, vj_q} + 1'b1);
        lit_rd = c_lit_q + LI'(vj_q) + 1'b1;
      end
      default: ;
    endcase
  end

  // After a content succeeded (its occurrence found, or a negated one absent): the rule matches
  // if it was the last content, else the next level is entered; `tail` marks the level as
  // waiting for next_or_match (negated) rather than for a backtracking decision (found).
  `define DEJFA_ADVANCE(flags, tail) \
    if (flags[dejfa_regs_pkg::PF_LAST]) begin \
      cmatch_q[rule_q] <= 1'b1; \
      state_q <= S_PICK; \
    end else begin \
      tail_q[lvl_q] <= (tail); \
      lvl_q <= lvl_q + 1'b1; \
      state_q <= S_ENTER; \
    end
  // No occurrence in the window: a positive content fails (a relative one returns 0, letting
  // the level above backtrack; an absolute one ends the rule), a negated one succeeds.
  `define DEJFA_NOT_FOUND(flags) \
    if (!flags[dejfa_regs_pkg::PF_NEGATED]) begin \
      state_q <= (flags[dejfa_regs_pkg::PF_DISTANCE] | flags[dejfa_regs_pkg::PF_WITHIN]) ? S_UNWIND : S_PICK; \
    end else begin \
      `DEJFA_ADVANCE(flags, 1'b1) \
    end

  // The current frame's result (with the overflow flag `over`) goes to the verdict stage.
  `define DEJFA_EMIT_CUR(over) \
    res_v_q[res_wr_q]    <= 1'b1; \
    res_over_q[res_wr_q] <= (over); \
    res_bank_q[res_wr_q] <= cur_bank_q; \
    res_hdr_q[res_wr_q]  <= cur_hdr_q; \
    res_cm_q[res_wr_q]   <= cmatch_q; \
    res_mal_q[res_wr_q]  <= cur_mal_q; \
    res_flen_q[res_wr_q] <= cur_flen_q; \
    res_wr_q <= !res_wr_q;

  always_ff @(posedge clk) begin
    // collected: at most one result is stored when a frame is taken, so the slot a result is
    // written to is never the one collected in the same cycle
    if (m_ready && m_valid) begin
      res_v_q[res_rd_q] <= 1'b0;
      res_rd_q <= !res_rd_q;
    end
    rinfo_ok_q <= 1'b1;  // cleared below in every cycle that writes cand_q
    grp_ok_q <= 1'b1;    // cleared below in every cycle that writes seen_q
    case (state_q)
      S_IDLE: begin
        if (fifo_pop) begin
          cur_bank_q  <= h_bank;
          cur_hdr_q   <= h_hdr;
          cur_mal_q   <= head[BT-1-RULES_N -: 4];
          cur_pv_q    <= head[BT-5-RULES_N];
          cur_poff_q  <= head[111:96];
          cur_plen_q  <= head[95:80];
          cur_flen_q  <= head[79:64];
          cur_base_q  <= h_base;
          cur_stamp_q <= h_stamp;
          cand_q      <= h_cand_nofp;
          cmatch_q    <= '0;
          seen_q      <= h_seen;
          acc_q       <= h_cand;  // the header-matched content rules, for the prefilter
          rinfo_ok_q  <= 1'b0;
          grp_ok_q    <= 1'b0;
          if (h_cand == '0 || over_head || (h_seen == '0 && h_cand_nofp == '0)) begin
            res_v_q[res_wr_q]    <= 1'b1;
            res_over_q[res_wr_q] <= h_cand != '0 && over_head;
            res_bank_q[res_wr_q] <= h_bank;
            res_hdr_q[res_wr_q]  <= h_hdr;
            res_cm_q[res_wr_q]   <= '0;
            res_mal_q[res_wr_q]  <= head[BT-1-RULES_N -: 4];
            res_flen_q[res_wr_q] <= head[79:64];
            res_wr_q <= !res_wr_q;
          end else begin
            state_q <= h_seen == '0 ? S_PICK : S_FG;
          end
        end
      end
      // Prefilter: every marked group's rules (among the header-matched ones) join the
      // candidates (cand_q starts as the rules without a fast key).
      S_FG: begin
        if (seen_q == '0) begin
          state_q <= S_PICK;
        end else begin
          seen_q[gpick] <= 1'b0;
          grp_ok_q <= 1'b0;
          state_q <= S_FL;
        end
      end
      S_FL: begin
        fcnt_q <= grp_q[RI +: RI+1];
        fi_q   <= grp_q[RI-1:0];
        state_q <= grp_q[RI +: RI+1] == '0 ? S_FG : S_FR;
      end
      // FPL entries of the group per cycle: entry fi + j sits in lane (fi + j) % FPL
      S_FR: begin
        for (int b = 0; b < FPL; b++) begin
          if ((RI+1)'(FB'(FB'(b) - fi_q[FB-1:0])) < fcnt_q && acc_q[rl_q[b]]) cand_q[rl_q[b]] <= 1'b1;
        end
        rinfo_ok_q <= 1'b0;
        fcnt_q <= fcnt_q - (RI+1)'(FPL);
        fi_q <= fi_q + RI'(FPL);
        if (fcnt_q <= (RI+1)'(FPL)) begin
          // the group's last entries: the next marked group is taken straight away, as S_FG
          // would (grp_q, read at gpick this cycle, is ready in S_FL); with fr_chain its entry
          // is already in grp_q and S_FL's work is done here
          if (seen_q == '0) begin
            state_q <= S_PICK;
          end else begin
            seen_q[gpick] <= 1'b0;
            grp_ok_q <= 1'b0;
            if (fr_chain) begin
              fcnt_q <= grp_q[RI +: RI+1];
              fi_q   <= grp_q[RI-1:0];
              state_q <= grp_q[RI +: RI+1] == '0 ? S_FG : S_FR;
            end else begin
              state_q <= S_FL;
            end
          end
        end
      end
      // Pick the lowest candidate and enter its first content: rinfo_q (read at `pick` last
      // cycle) is its first program entry when cand_q did not change last cycle; otherwise wait
      // one cycle for it.
      S_PICK: begin
        if (cand_q == '0) begin
          `DEJFA_EMIT_CUR(1'b0)
          state_q <= S_IDLE;
        end else if (rinfo_ok_q) begin
          rule_q <= pick;
          cand_q[pick] <= 1'b0;
          rinfo_ok_q <= 1'b0;
          pfirst_q <= rinfo_q;
          lvl_q    <= '0;
          count_q  <= 32'd1;  // S_ENTER's work for level 0
          boff_q   <= '0;
          pbo_q[0]  <= '0;
          poff_q[0] <= '0;
          state_q  <= REC_LIMIT == 1 ? S_PICK : S_WIN;
        end
      end
      S_ENTER: begin
        count_q <= count_q + 1'b1;
        pbo_q[lvl_q]  <= boff_q;
        poff_q[lvl_q] <= '0;
        state_q <= (count_q + 1'b1 == 32'(REC_LIMIT)) ? S_PICK : S_WIN;
      end
      S_WIN: begin
        c_flags_q <= pf;
        c_len_q   <= prog_q[15:0];
        prest_q   <= prog_q[15:0];  // S_CMP compares piece 0
        pmask_q   <= piece_mask(prog_q[15:0]);
        c_np_q    <= prog_q[63:48];
        c_lit_q   <= prog_q[32 +: LI];
        lflag_q[lvl_q] <= pf;
        llen_q[lvl_q]  <= prog_q[15:0];
        a_lo_q <= w_off + ppos;
        a_hi_q <= w_dep - e_len + ppos;
        sw_q   <= (w_off + ppos) >> 6;
        if (w_empty) begin
          if (pf[dejfa_regs_pkg::PF_NEGATED]) begin
            `DEJFA_ADVANCE(pf, 1'b1)
          end else begin
            state_q <= S_UNWIND;
          end
        end else if (w_short) begin
          `DEJFA_NOT_FOUND(pf)
        end else begin
          state_q <= S_CMP;  // words sw, sw+1 and the first piece are being read
        end
      end
      S_SCAN: begin  // after a failed verification: words sw, sw+1, first piece
        prest_q <= c_len_q;
        pmask_q <= piece_mask(c_len_q);
        state_q <= S_CMP;
      end
      S_CMP: begin
        if (found) begin
          k0_q <= {1'b0, found_k};
          if (c_np_q > 16'd1) begin
            vj_q <= 16'd1;
            prest_q <= prest_q - 16'd64;
            pmask_q <= piece_mask(prest_q - 16'd64);
            state_q <= S_VCMP;
          end else begin
            state_q <= S_ENTER;  // overridden below
          end
        end else if (hlast_q) begin
          `DEJFA_NOT_FOUND(c_flags_q)
        end else begin
          sw_q <= sw_q + 1'b1;  // the read ahead: word sw_q + 1 is being read
        end
      end
      S_VCMP: begin
        if (!hit[k0_q[5:0]]) begin
          // this start fails: resume the scan one byte later
          a_lo_q <= vfound_a + 1'b1;
          sw_q <= (vfound_a + 1'b1) >> 6;
          state_q <= S_SCAN;
        end else if (vj_q + 1'b1 < c_np_q) begin
          vj_q <= vj_q + 1'b1;
          prest_q <= prest_q - 16'd64;
          pmask_q <= piece_mask(prest_q - 16'd64);
        end
      end
      S_UNWIND: begin
        if (lvl_q == '0) begin
          state_q <= S_PICK;
        end else begin
          lvl_q <= lvl_q - 1'b1;
          if (!tail_q[lvl_q - 1'b1]) begin
            if (!lflag_q[lvl_q - 1'b1][dejfa_regs_pkg::PF_WITHIN_NEXT]) begin
              state_q <= S_PICK;
            end else begin
              poff_q[lvl_q - 1'b1] <= mo_q[lvl_q - 1'b1] - ({16'd0, llen_q[lvl_q - 1'b1]} - 32'd1);
              state_q <= S_WIN;
            end
          end
        end
      end
      default: state_q <= S_IDLE;
    endcase

    // An occurrence was found (CMP with one piece, or the last piece verified).
    if ((state_q == S_CMP && found && c_np_q <= 16'd1) ||
        (state_q == S_VCMP && hit[k0_q[5:0]] && vj_q + 1'b1 >= c_np_q)) begin
      if (c_flags_q[dejfa_regs_pkg::PF_NEGATED]) begin
        state_q <= c_flags_q[dejfa_regs_pkg::PF_SINGLE] ? S_PICK : S_UNWIND;
      end else begin
        boff_q <= occ_end;
        mo_q[lvl_q] <= occ_end;
        `DEJFA_ADVANCE(c_flags_q, 1'b0)
      end
    end

    // Bounded work: abandon the frame.
    if (state_q != S_IDLE && !(state_q == S_PICK && cand_q == '0) && over_now) begin
      `DEJFA_EMIT_CUR(1'b1)
      state_q <= S_IDLE;
    end

    if (rst) begin
      state_q <= S_IDLE;
      res_v_q[0] <= 1'b0;
      res_v_q[1] <= 1'b0;
      res_wr_q <= 1'b0;
      res_rd_q <= 1'b0;
    end
  end


  assign m_valid     = res_v_q[res_rd_q];
  assign m_overflow  = res_over_q[res_rd_q];
  assign m_bank      = res_bank_q[res_rd_q];
  assign m_hdr       = res_hdr_q[res_rd_q];
  assign m_cmatch    = res_cm_q[res_rd_q];
  assign m_malformed = res_mal_q[res_rd_q];
  assign m_frame_len = res_flen_q[res_rd_q];
  // The PROG entry's literal field is 16 bits wide; LITS_N needs fewer.
  wire logic unused_ok = ^prog_q[47:32+LI];
  `undef DEJFA_EMIT_CUR
  `undef DEJFA_ADVANCE
  `undef DEJFA_NOT_FOUND
endmodule
