// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"
`include "dejfa_form.svh"

/*
 * dejfa_verifier: one verifier of (frame, rule) jobs (docs/HARDWARE.md "Verifiers", issue #25).
 * Takes one job (the VJOB record of hw/dejfa_regs.toml) when idle and runs the rule's content
 * program over the frame's payload with Suricata's inspection algorithm: version 1's engine
 * datapath (dejfa_inspect, states S_WIN .. S_UNWIND; the control flow of content_chain_match
 * in host/model/src/content.cpp): per content a window with Suricata's 32-bit arithmetic, the
 * first occurrence in it (a slice of STARTS starts compared a cycle, each over the piece's up
 * to 64 bytes; further pieces of a content over 64 bytes verified one a cycle), recursion into the next content, backtracking when the
 * next content has `within`, negation, the recursion limit. Its result is one cycle of m_valid
 * with the job's tag: match, or overrun when the job reached its BUDGET of cycles first.
 *
 * The memories are outside (dejfa_verifiers: a literal and program copy per two verifiers, the
 * payload RAM per verifier): each read's address is an output of this cycle and its data an
 * input of the next.
 */
module dejfa_verifier #(
  /// literal slots (per image bank)
  parameter int unsigned LITS_N = 512,
  /// content-program entries (per image bank)
  parameter int unsigned CPROG_N = 1024,
  /// contents per rule
  parameter int unsigned CONT_N = 32,
  /// payload RAM words of 64 bytes (a power of two)
  parameter int unsigned PAY_WORDS = 512,
  /// Suricata's inspection_recursion_limit
  parameter int unsigned REC_LIMIT = 3000,
  /// start positions the scan compares a cycle (16 or 32), each over up to 64 bytes: a 64-byte
  /// word is STARTS-wide slices, compared one a cycle (docs/HARDWARE.md "Verifiers"; version 1's
  /// 64, a whole word, was measured and left: its comparators were most of a verifier)
  parameter int unsigned STARTS = 32,
  /// 1: the simulation form of the byte compares, 0: the synthesis form (dejfa_form.svh)
  parameter int unsigned SIM_FORM = `DEJFA_SIM_FORM,
  localparam int unsigned JW = dejfa_regs_pkg::VJOB_W,
  localparam int unsigned LI = $clog2(LITS_N),
  localparam int unsigned PI = $clog2(CPROG_N),
  localparam int unsigned PW = $clog2(PAY_WORDS),
  localparam int unsigned TG = dejfa_regs_pkg::VJOB_TAG_W,
  localparam int unsigned SB = $clog2(STARTS),
  /// log2 of the slices a word
  localparam int unsigned WS = 6 - SB,
  /// bytes of the window a slice's starts compare
  localparam int unsigned SLB = STARTS + 63
) (
  /// datapath clock
  input  wire logic           clk,
  /// synchronous reset, active high
  input  wire logic           rst,
  /// a job offered
  input  wire logic           s_valid,
  /// the job is taken (the verifier is idle)
  output logic                s_ready,
  /// the job (VJOB record)
  input  wire logic [JW-1:0]  s_job,
  /// image bank whose tables this cycle's reads address
  output logic                rd_bank,
  /// program entry read (data next cycle on prog_d)
  output logic [PI-1:0]       prog_addr,
  input  wire logic [127:0]   prog_d,
  /// literal slot read (data next cycle on lit_d)
  output logic [LI-1:0]       lit_addr,
  input  wire logic [511:0]   lit_d,
  /// payload RAM reads: the even and odd words' halves (word w at half w / 2 of its parity)
  output logic [PW-2:0]       pay_even_addr,
  output logic [PW-2:0]       pay_odd_addr,
  input  wire logic [511:0]   pay_even_d,
  input  wire logic [511:0]   pay_odd_d,
  /// a job's result, for one cycle
  output logic                m_valid,
  /// its tag
  output logic [TG-1:0]       m_tag,
  /// the rule's contents match the payload (0 on overrun)
  output logic                m_match,
  /// the job reached its budget before its result
  output logic                m_overrun
);
  localparam int unsigned CI = $clog2(CONT_N);

  initial begin
    if (STARTS != 16 && STARTS != 32)
      $fatal(1, "dejfa_verifier: STARTS must be 16 or 32 (%m)");
    // (below the 16-bit fields of PROG and VJOB, which the unused-bit check reads above them)
    if (LITS_N >= 65536 || CPROG_N >= (1 << dejfa_regs_pkg::VJOB_PROG_W) ||
        PAY_WORDS >= (1 << dejfa_regs_pkg::VJOB_BASE_W) || PAY_WORDS < 4 || (1 << PW) != PAY_WORDS)
      $fatal(1, "dejfa_verifier: LITS_N, CPROG_N or PAY_WORDS out of the job's and program's fields (%m)");
  end

  // ---------------------------------------------------------------- the job's fields
  wire logic [15:0]    j_prog   = s_job[dejfa_regs_pkg::VJOB_PROG_LSB +: 16];
  wire logic [15:0]    j_plen   = s_job[dejfa_regs_pkg::VJOB_PLEN_LSB +: 16];
  wire logic [15:0]    j_poff   = s_job[dejfa_regs_pkg::VJOB_POFF_LSB +: 16];
  wire logic [15:0]    j_base   = s_job[dejfa_regs_pkg::VJOB_BASE_LSB +: 16];
  wire logic           j_bank   = s_job[dejfa_regs_pkg::VJOB_BANK_LSB];
  wire logic [15:0]    j_budget = s_job[dejfa_regs_pkg::VJOB_BUDGET_LSB +: 16];
  wire logic [TG-1:0]  j_tag    = s_job[dejfa_regs_pkg::VJOB_TAG_LSB +: TG];

  // ---------------------------------------------------------------- state
  typedef enum logic [3:0] {
    S_IDLE, S_WIN, S_SCAN, S_CMP, S_VCMP, S_UNWIND
  } state_t;
  state_t state_q;
  wire logic take = state_q == S_IDLE && s_valid && !rst;
  assign s_ready = state_q == S_IDLE && !rst;

  // the job
  logic               bank_q;
  logic [15:0]        poff_b_q, plen_q;
  logic [PW-1:0]      base_q;
  logic [15:0]        budget_q, held_q;  // cycles the job may hold the verifier; held so far
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
  logic [31:0]        sw_q;            // frame slice being compared (bytes STARTS sw_q up)
  logic [6:0]         k0_q;            // byte of the found start within its slice
  logic [15:0]        vj_q;            // piece being verified

  // ---------------------------------------------------------------- reads (data next cycle)
  logic [PI-1:0] prog_rd;
  logic [LI-1:0] lit_rd;
  logic [PW-1:0] pay_rd;  // frame word relative to the frame's first word (mod PAY_WORDS)
  // the word of slice x
  function automatic logic [31:0] word_of(input logic [31:0] x);
    word_of = x >> WS;
  endfunction
  wire logic [PW-1:0] p0 = base_q + pay_rd;
  wire logic [PW-2:0] p0h = p0[PW-1:1];
  assign rd_bank       = take ? j_bank : bank_q;
  assign prog_addr     = prog_rd;
  assign lit_addr      = lit_rd;
  assign pay_even_addr = p0[0] ? p0h + 1'b1 : p0h;  // words p0 and p0 + 1: one even, one odd
  assign pay_odd_addr  = p0h;
  wire logic [127:0] prog_q = prog_d;
  wire logic [511:0] lit_q = lit_d;
  logic rd_swap_q;  // word rd was odd
  always_ff @(posedge clk) rd_swap_q <= p0[0];
  wire logic [511:0] w0_q = rd_swap_q ? pay_odd_d : pay_even_d;
  wire logic [511:0] w1_q = rd_swap_q ? pay_even_d : pay_odd_d;

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
  // The compared slice's window: its STARTS starts and the 63 bytes after the last, from the
  // words read (the slice of sw_q in the scan, of hsw_q when a start's further pieces are
  // verified, each with the words of its piece).
  logic [31:0] hsw_q;  // the slice hit_q was compared in (below); frozen from the find until S_CMP
  logic [8*SLB-1:0] sl;
  wire logic [WS-1:0] slice = state_q == S_VCMP ? hsw_q[WS-1:0] : sw_q[WS-1:0];
  always_comb begin
    sl = '0;
    for (int i = 0; i < (1 << WS); i++) begin
      if (slice == WS'(i)) sl = win[8*STARTS*i +: 8*SLB];
    end
  end
  logic [STARTS-1:0] hit;
  if (SIM_FORM != 0) begin : g_cmp_sim
    // The same 64 x 64 compares with each byte folded once and a start's 64 bytes compared as
    // one 512-bit vector, and only in the two states that read hit; elsewhere hit is 0 and
    // nothing reads it (dejfa_inspect's simulation form).
    always_comb begin : cmp
      logic [8*SLB-1:0] wf;
      logic [511:0]  lf, bm;
      hit = '0;
      wf = '0;
      lf = '0;
      bm = '0;
      if (state_q == S_CMP || state_q == S_VCMP) begin
        for (int i = 0; i < SLB; i++) wf[8*i +: 8] = fold(sl[8*i +: 8], nc);
        for (int j = 0; j < 64; j++) begin
          lf[8*j +: 8] = fold(lit_q[8*j +: 8], nc);
          bm[8*j +: 8] = {8{pmask_q[j]}};
        end
        for (int k = 0; k < STARTS; k++) hit[k] = ((wf[8*k +: 512] ^ lf) & bm) == '0;
      end
    end
  end else begin : g_cmp_synth
    for (genvar k = 0; k < STARTS; k++) begin : g_cmp
      always_comb begin
        hit[k] = 1'b1;
        for (int j = 0; j < 64; j++) begin
          if (pmask_q[j] && fold(sl[(k + j) * 8 +: 8], nc) != fold(lit_q[j * 8 +: 8], nc)) hit[k] = 1'b0;
        end
      end
    end
  end

  // The scan is two stages (dejfa_inspect): in S_CMP word sw_q is compared and its starts inside
  // [a_lo, a_hi] registered (hit_q, with the word in hsw_q and whether it was the window's last
  // in hlast_q) while the next word is read; the cycle after, the first start is taken from the
  // register as the next word is compared. Outside S_CMP the register is cleared.
  logic [STARTS-1:0] hit_in, hit_q;
  logic        hlast_q;  // hit_q's slice was the window's last
  always_comb begin
    for (int k = 0; k < STARTS; k++) begin
      hit_in[k] = hit[k] && {sw_q[31-SB:0], SB'(k)} >= a_lo_q && {sw_q[31-SB:0], SB'(k)} <= a_hi_q;
    end
  end
  logic          found;
  logic [SB-1:0] found_k;
  dejfa_first_set #(.N(STARTS)) u_found (.v(hit_q), .any(found), .idx(found_k));
  always_ff @(posedge clk) begin
    hit_q   <= state_q == S_CMP ? hit_in : '0;
    hlast_q <= state_q == S_CMP && {sw_q[31-SB:0], {SB{1'b1}}} >= a_hi_q;
    if (state_q == S_CMP && !found) hsw_q <= sw_q;
  end

  // ---------------------------------------------------------------- window of the current level
  wire logic [15:0] pf = prog_q[31:16];
  wire logic [31:0] e_len = {16'd0, prog_q[15:0]};
  wire logic [31:0] e_off = {16'd0, prog_q[79:64]};
  wire logic [31:0] e_dep = {16'd0, prog_q[95:80]};
  wire logic [31:0] e_dist = {{16{pf[dejfa_regs_pkg::PF_DIST_NEG]}}, prog_q[111:96]};
  wire logic [31:0] e_within = {16'd0, prog_q[127:112]};
  wire logic        e_rel = pf[dejfa_regs_pkg::PF_DISTANCE] | pf[dejfa_regs_pkg::PF_WITHIN];
  wire logic [31:0] buflen = {16'd0, plen_q};
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

  // the level's occurrence ends at mo = start + len (start in payload coordinates); the
  // carry-select form of dejfa_inspect (only a 6-bit add and a select after the first-match tree)
  wire logic [31:0] ppos = {16'd0, poff_b_q};
  wire logic [31:0] vfound_a = {hsw_q[31-SB:0], SB'(0)} + {25'd0, k0_q};
  wire logic [31:0] occ_base = {hsw_q[31-SB:0], SB'(0)} - ppos + {16'd0, c_len_q};
  wire logic [31-SB:0] occ_hi1 = occ_base[31:SB] + 1'b1;
  wire logic [SB:0]  occ_lo = {1'b0, occ_base[SB-1:0]} + {1'b0, state_q == S_VCMP ? k0_q[SB-1:0] : found_k};
  wire logic [31:0] occ_end = {occ_lo[SB] ? occ_hi1 : occ_base[31:SB], occ_lo[SB-1:0]};

  // ---------------------------------------------------------------- read addresses
  always_comb begin
    // After S_WIN has read its level's entry, the next level's is read ahead, so that a level
    // entered (DEJFA_ADVANCE) has its entry in its S_WIN; S_UNWIND reads the level it returns to.
    prog_rd = pfirst_q + PI'(CI'(lvl_q + 1'b1));
    if (state_q == S_UNWIND) prog_rd = pfirst_q + PI'(CI'(lvl_q - 1'b1));
    lit_rd = c_lit_q;
    pay_rd = PW'(word_of(sw_q));
    case (state_q)
      S_IDLE: prog_rd = j_prog[PI-1:0];  // the job's first entry, for S_WIN
      S_WIN: begin
        lit_rd = prog_q[32 +: LI];
        pay_rd = PW'((w_off + ppos) >> 6);  // the first slice's word
      end
      S_CMP: begin
        // the next slice's word; when a start was found in hsw_q, the first further piece's words
        pay_rd = found ? PW'(word_of(hsw_q) + 1'b1) : PW'(word_of(sw_q + 1'b1));
        if (found) lit_rd = c_lit_q + 1'b1;
      end
      S_VCMP: begin
        pay_rd = PW'(word_of(hsw_q) + {16'd0, vj_q} + 1'b1);
        lit_rd = c_lit_q + LI'(vj_q) + 1'b1;
      end
      default: ;
    endcase
  end

  // ---------------------------------------------------------------- control
  // The job's result: one cycle of m_valid, then the verifier is idle.
  logic res_v_q, res_match_q, res_over_q;
  logic [TG-1:0] res_tag_q;
  `define DEJFA_FINISH(m) \
    begin \
      res_v_q <= 1'b1; \
      res_match_q <= (m); \
      fin = 1'b1; \
      state_q <= S_IDLE; \
    end
  // After a content succeeded (its occurrence found, or a negated one absent): the rule matches
  // if it was the last content, else the next level is entered in the same cycle (Suricata's
  // recursion count and limit, the level's previous buffer offset `boff`, no previous offset);
  // `tail` marks the level as waiting for next_or_match (negated) rather than for a backtracking
  // decision (found).
  `define DEJFA_ADVANCE(flags, tail, boff) \
    if (flags[dejfa_regs_pkg::PF_LAST]) begin \
      `DEJFA_FINISH(1'b1) \
    end else begin \
      count_q <= count_q + 1'b1; \
      if (count_q + 1'b1 == 32'(REC_LIMIT)) `DEJFA_FINISH(1'b0) \
      else begin \
        tail_q[lvl_q] <= (tail); \
        lvl_q <= lvl_q + 1'b1; \
        pbo_q[CI'(lvl_q + 1'b1)]  <= (boff); \
        poff_q[CI'(lvl_q + 1'b1)] <= '0; \
        state_q <= S_WIN; \
      end \
    end
  // No occurrence in the window: a positive content fails (a relative one returns 0, letting
  // the level above backtrack; an absolute one ends the rule), a negated one succeeds.
  `define DEJFA_NOT_FOUND(flags) \
    if (!flags[dejfa_regs_pkg::PF_NEGATED]) begin \
      if (flags[dejfa_regs_pkg::PF_DISTANCE] | flags[dejfa_regs_pkg::PF_WITHIN]) state_q <= S_UNWIND; \
      else `DEJFA_FINISH(1'b0) \
    end else begin \
      `DEJFA_ADVANCE(flags, 1'b1, boff_q) \
    end

  always_ff @(posedge clk) begin : ctl
    logic fin;  // the job's result is written this cycle
    fin = 1'b0;
    res_v_q <= 1'b0;
    res_over_q <= 1'b0;
    if (state_q != S_IDLE) held_q <= held_q + 1'b1;
    case (state_q)
      S_IDLE: begin
        if (take) begin
          bank_q   <= j_bank;
          poff_b_q <= j_poff;
          plen_q   <= j_plen;
          base_q   <= j_base[PW-1:0];
          budget_q <= j_budget;
          held_q   <= 16'd1;  // the take
          res_tag_q <= j_tag;
          pfirst_q <= j_prog[PI-1:0];
          lvl_q    <= '0;
          count_q  <= 32'd1;  // level 0 entered
          boff_q   <= '0;
          pbo_q[0]  <= '0;
          poff_q[0] <= '0;
          if (REC_LIMIT == 1) `DEJFA_FINISH(1'b0)
          else state_q <= S_WIN;
        end
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
        sw_q   <= (w_off + ppos) >> SB;
        if (w_empty) begin
          if (pf[dejfa_regs_pkg::PF_NEGATED]) begin
            `DEJFA_ADVANCE(pf, 1'b1, boff_q)
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
          k0_q <= 7'(found_k);
          if (c_np_q > 16'd1) begin
            vj_q <= 16'd1;
            prest_q <= prest_q - 16'd64;
            pmask_q <= piece_mask(prest_q - 16'd64);
            state_q <= S_VCMP;
          end else begin
            state_q <= S_WIN;  // overridden below
          end
        end else if (hlast_q) begin
          `DEJFA_NOT_FOUND(c_flags_q)
        end else begin
          sw_q <= sw_q + 1'b1;  // the read ahead: slice sw_q + 1's word is being read
        end
      end
      S_VCMP: begin
        if (!hit[k0_q[SB-1:0]]) begin
          // this start fails: resume the scan one byte later
          a_lo_q <= vfound_a + 1'b1;
          sw_q <= (vfound_a + 1'b1) >> SB;
          state_q <= S_SCAN;
        end else if (vj_q + 1'b1 < c_np_q) begin
          vj_q <= vj_q + 1'b1;
          prest_q <= prest_q - 16'd64;
          pmask_q <= piece_mask(prest_q - 16'd64);
        end
      end
      S_UNWIND: begin
        if (lvl_q == '0) begin
          `DEJFA_FINISH(1'b0)
        end else begin
          lvl_q <= lvl_q - 1'b1;
          if (!tail_q[lvl_q - 1'b1]) begin
            if (!lflag_q[lvl_q - 1'b1][dejfa_regs_pkg::PF_WITHIN_NEXT]) begin
              `DEJFA_FINISH(1'b0)
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
        (state_q == S_VCMP && hit[k0_q[SB-1:0]] && vj_q + 1'b1 >= c_np_q)) begin
      if (c_flags_q[dejfa_regs_pkg::PF_NEGATED]) begin
        if (c_flags_q[dejfa_regs_pkg::PF_SINGLE]) `DEJFA_FINISH(1'b0)
        else state_q <= S_UNWIND;
      end else begin
        boff_q <= occ_end;
        mo_q[lvl_q] <= occ_end;
        `DEJFA_ADVANCE(c_flags_q, 1'b0, occ_end)
      end
    end

    // Bounded work: the job's last allowed cycle ends it unless its result came in it.
    if (state_q != S_IDLE && held_q + 1'b1 >= budget_q && !fin) begin
      res_v_q <= 1'b1;
      res_match_q <= 1'b0;
      res_over_q <= 1'b1;
      state_q <= S_IDLE;
    end

    if (rst) begin
      state_q <= S_IDLE;
      res_v_q <= 1'b0;
    end
  end
  `undef DEJFA_FINISH
  `undef DEJFA_ADVANCE
  `undef DEJFA_NOT_FOUND

  assign m_valid   = res_v_q;
  assign m_tag     = res_tag_q;
  assign m_match   = res_match_q;
  assign m_overrun = res_over_q;

  // ---------------------------------------------------------------- assertions
  `DEJFA_ASSERT(StateLegal_A, state_q inside {S_IDLE, S_WIN, S_SCAN, S_CMP, S_VCMP, S_UNWIND}, clk, rst)
  // a job may hold the verifier for its take and at least one cycle more
  `DEJFA_ASSERT(BudgetTwo_A, !take || j_budget >= 16'd2, clk, rst)
  `DEJFA_ASSERT(BudgetHeld_A, state_q == S_IDLE || held_q < budget_q, clk, rst)
  // The PROG entry's literal field is 16 bits wide; LITS_N may need fewer. The job's rule id is
  // for the queue, which names the result by tag. The window's last byte is never compared (the
  // last slice's last start reads up to byte 126).
  wire logic unused_ok = ^{prog_q[47:32+LI], win[1023:1016], s_job[dejfa_regs_pkg::VJOB_RULE_LSB +: 16],
                           j_base[15:PW], j_prog[15:PI]};
endmodule

`resetall
`default_nettype wire
