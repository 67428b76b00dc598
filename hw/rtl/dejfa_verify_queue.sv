// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_verify_queue: the job queue between the candidate check and the verifiers
 * (docs/HARDWARE.md "Verifiers", "The job queue"; issue #25). It turns each frame's candidates
 * into matches (header hits the confirm decides) and jobs (header hits with more to verify),
 * admits or sheds the frame at its end against its deadline, gives the admitted jobs to the
 * verifiers one a cycle, and gives every frame's matched rules back in frame order, E a cycle,
 * once all of its jobs have their results.
 *
 * Stages of the input (one frame's candidates at a time, in frame order, E lanes a cycle):
 *   S1  the lanes registered, each job's budget (BUDGET: the compiler's fixed part, its
 *       payload-wide contents x the payload's words, x 2 for rules the compiler cannot bound,
 *       at most BUDGET_MAX) from the frame's bounds (the bounds FIFO's head, popped at the end)
 *   S2  the lanes' sums: what the jobs reserve (budget + NV each: one dispatch a cycle), their
 *       largest budget, their count
 *   S3  the frame's totals so far, and from them the decision's terms that do not depend on
 *       the frames before it
 *   S4  a row of the retirement FIFO for a cycle with hits, a row of the job FIFO for a cycle
 *       with jobs (and the frame's slot at its first), the frame's sums; at the end the decision:
 *       admitted when
 *         H = max(J + 1, now + 2, H_prev) + max(rows, 1) <= deadline,
 *         J = now + KJ + ceil((held + reserved + cost) / NV) + the frame's largest budget
 *       (J only for a frame with jobs: list scheduling with one dispatch a cycle; H the cycle
 *       by which its end leaves, after the frames before it, a row a cycle), otherwise shed:
 *       its rows and slot taken back (its entries are always the last written) and only its end
 *       kept. A frame is also shed when a row, job row or slot had no room, and passed on
 *       overflowed when the stages before shed it (c_shed).
 *
 * Dispatch: the head job row (block RAM, read ahead) gives its job lanes one a cycle into an
 * offer register, which the verifiers take when one is idle (dejfa_verifiers: the lowest-numbered
 * idle one); the queue loads that verifier's down-counter with the budget (held: what running
 * jobs may still take) and notes, once a row's last job is taken, which verifier ran each of its
 * jobs. Results come on the verifiers' lanes by tag {slot, job row, lane}: each verifier keeps a
 * row of E result bits a job row and a count of its results per slot (LUTRAMs of its own).
 *
 * Retirement: the frame FIFO's head (every frame, its end record) waits until its slot's
 * results since its admission add up to its jobs, then its rows leave a cycle each (match lanes, job lanes whose result matched;
 * none when a job overran) with its end in the last (an end alone for a frame without rows).
 */
module dejfa_verify_queue #(
  /// AXI4-Stream data width in bits (64 or 512): sets E, NV and STARTS
  parameter int unsigned DATA_W = 64,
  /// candidate lanes a cycle (the candidate check's E)
  parameter int unsigned E = DATA_W >= 512 ? 8 : 2,
  /// verifiers (dejfa_verifiers' NV)
  parameter int unsigned NV = DATA_W >= 512 ? 8 : 4,
  /// start positions a verifier's scan compares a cycle (dejfa_verifiers' STARTS): a payload
  /// word of a budget is STARTS bytes
  parameter int unsigned STARTS = DATA_W >= 512 ? 16 : 32,
  /// cycles from a frame's last beat to its verdict's deadline (dejfa_core's LAG_MAX)
  parameter int unsigned LAG_MAX = 1024,
  /// the largest budget a job gets
  parameter int unsigned BUDGET_MAX = LAG_MAX / 2,
  /// frame slots: frames with jobs in flight (a power of two; bench_verifiers: at most 90 / 12
  /// on the real captures at 100g / 10g)
  parameter int unsigned FN = DATA_W >= 512 ? 128 : 32,
  /// job rows (a power of two): rows with jobs, held until their frame leaves (bench_verifiers:
  /// at most 630 / 36 jobs in flight)
  parameter int unsigned JQ = DATA_W >= 512 ? 1024 : 64,
  /// retirement rows (a power of two): rows with header hits
  parameter int unsigned RQ = dejfa_regs_pkg::PKT_DEPTH,
  /// frames between the input's end and the output's (a power of two): every frame in flight
  parameter int unsigned FQ = dejfa_regs_pkg::PKT_DEPTH,
  /// bounds and deadlines waiting for their frame's end (a power of two)
  parameter int unsigned BQ = 256,
  localparam int unsigned JB = dejfa_regs_pkg::VJOB_W,
  localparam int unsigned TG = dejfa_regs_pkg::VJOB_TAG_W
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous reset, active high
  input  wire logic                rst,

  /// a frame's payload bounds, every frame in frame order, before its first candidate: the
  /// payload's length (0: none) and offset, the payload RAM word the frame starts at, its bank
  input  wire logic                b_valid,
  input  wire logic [15:0]         b_plen,
  input  wire logic [15:0]         b_poff,
  input  wire logic [15:0]         b_base,
  input  wire logic                b_bank,
  /// a frame's last beat is on the line (every frame, in frame order): its deadline is this
  /// cycle + LAG_MAX
  input  wire logic                l_valid,

  /// the candidate check's lanes (one frame at a time, in frame order) with CONT_REC's job
  /// fields: the rule, its header hit, DECIDED, its first program entry, its budget's fixed part
  /// and payload-wide contents, doubled
  input  wire logic [E-1:0]        c_valid,
  input  wire logic [E*16-1:0]     c_rule,
  input  wire logic [E-1:0]        c_hit,
  input  wire logic [E-1:0]        c_decided,
  input  wire logic [E*16-1:0]     c_prog,
  input  wire logic [E*16-1:0]     c_bfix,
  input  wire logic [E*6-1:0]      c_bpay,
  input  wire logic [E-1:0]        c_bx2,
  /// the frame's end (with or after its last lanes) and whether the stages before shed it
  input  wire logic                c_end,
  input  wire logic                c_shed,

  /// a job for the verifiers (VJOB), taken when j_ready (a verifier is idle)
  output logic                     j_valid,
  input  wire logic                j_ready,
  output logic [JB-1:0]            j_job,
  /// the verifiers that are idle (the job goes to the lowest-numbered)
  input  wire logic [NV-1:0]       v_idle,
  /// the verifiers' result lanes
  input  wire logic [NV-1:0]       r_valid,
  input  wire logic [NV*TG-1:0]    r_tag,
  input  wire logic [NV-1:0]       r_match,
  input  wire logic [NV-1:0]       r_overrun,

  /// retired, in frame order: per lane a matched rule
  output logic [E-1:0]             o_valid,
  output logic [E*16-1:0]          o_rule,
  /// the frame's end (in the cycle of its last rules or alone), inspection incomplete (shed
  /// before, shed here, or a job overran: none of its content rules matches), shed here, overran
  output logic                     o_end,
  output logic                     o_overflow,
  output logic                     o_shed,
  output logic                     o_overrun
);
  localparam int unsigned EW = E > 1 ? $clog2(E) : 1;
  localparam int unsigned VW = NV > 1 ? $clog2(NV) : 1;
  localparam int unsigned FW = $clog2(FN);
  localparam int unsigned JW = $clog2(JQ);
  localparam int unsigned RW = $clog2(RQ);
  localparam int unsigned QW = $clog2(FQ);
  localparam int unsigned BW = $clog2(BQ);
  localparam int unsigned SS = $clog2(STARTS);
  localparam int unsigned NS = $clog2(NV);
  localparam int unsigned CW = 28;  // cycles of reserved work
  localparam int unsigned NJ = JW + EW + 1;  // jobs of a frame
  /// cycles from a frame's end at S4 to the first take of its jobs (the commit, the offer register)
  localparam int unsigned KJ = 2;
  localparam logic [15:0] LAG = 16'(LAG_MAX);
  localparam int unsigned LB = 1 + 16 + 16 + 16;  // a job lane: valid, rule, prog, budget
  localparam int unsigned JRB = E * LB + FW;      // a job row: lanes, slot
  localparam int unsigned RRB = E * 18 + 1 + JW;  // a retirement row: lanes {kind, rule}, jobs, job row
  localparam int unsigned FRB = 3 + FW + (RW + 1) + (JW + 1);  // a frame record

  initial begin
    if (E != 2 && E != 4 && E != 8) $fatal(1, "dejfa_verify_queue: E must be 2, 4 or 8 (%m)");
    if (NV < 2 || (NV & (NV - 1)) != 0 || NV > 8) $fatal(1, "dejfa_verify_queue: NV must be 2, 4 or 8 (%m)");
    if ((STARTS & (STARTS - 1)) != 0) $fatal(1, "dejfa_verify_queue: STARTS must be a power of two (%m)");
    if (EW + JW + FW > TG) $fatal(1, "dejfa_verify_queue: the tag {slot, row, lane} is wider than VJOB's TAG (%m)");
    if (FN < 2 || (FN & (FN - 1)) != 0 || JQ < 2 || (JQ & (JQ - 1)) != 0 ||
        RQ < 2 || (RQ & (RQ - 1)) != 0 || FQ < 2 || (FQ & (FQ - 1)) != 0 ||
        BQ < 2 || (BQ & (BQ - 1)) != 0)
      $fatal(1, "dejfa_verify_queue: FN, JQ, RQ, FQ and BQ must be powers of two (%m)");
    if (BUDGET_MAX < 2 || BUDGET_MAX > 65535 || LAG_MAX >= 32768)
      $fatal(1, "dejfa_verify_queue: BUDGET_MAX must be 2 to 65,535 and LAG_MAX under 32,768 (%m)");
    // a frame's reservation (every job row full) and the work held and reserved fit CW bits
    if (64'(JQ) * 64'(E) * (64'(BUDGET_MAX) + 64'(NV)) >= (64'd1 << (CW - 2)))
      $fatal(1, "dejfa_verify_queue: JQ x E x (BUDGET_MAX + NV) must be under 2^26 (%m)");
  end

  // ---------------------------------------------------------------- time
  logic [15:0] now_q;
  always_ff @(posedge clk) now_q <= rst ? '0 : now_q + 1'b1;
  // a before or at b, for times within 32 K cycles of each other
  function automatic logic t_le(input logic [15:0] a, input logic [15:0] b);
    t_le = $signed(16'(b - a)) >= 16'sd0;
  endfunction
  function automatic logic [15:0] t_max(input logic [15:0] a, input logic [15:0] b);
    t_max = t_le(a, b) ? b : a;
  endfunction

  // ---------------------------------------------------------------- bounds and deadlines
  logic [BW:0] bq_wr_q, bq_rd_q, dq_wr_q;
  logic [48:0] bmem [BQ];
  logic [15:0] dmem [BQ];
  always_ff @(posedge clk) begin
    if (b_valid) bmem[bq_wr_q[BW-1:0]] <= {b_bank, b_base, b_poff, b_plen};
    if (l_valid) dmem[dq_wr_q[BW-1:0]] <= now_q + LAG;
  end
  wire logic [48:0] b_head = bmem[bq_rd_q[BW-1:0]];
  wire logic [15:0] d_head = dmem[bq_rd_q[BW-1:0]];
  wire logic [15:0] h_plen = b_head[15:0];
  // the payload's words of STARTS bytes
  wire logic [15:0] h_words = 16'((17'(h_plen) + 17'(STARTS - 1)) >> SS);
  wire logic in_any = c_end || c_valid != '0;
  always_ff @(posedge clk) begin
    if (rst) begin
      bq_wr_q <= '0;
      dq_wr_q <= '0;
      bq_rd_q <= '0;
    end else begin
      bq_wr_q <= bq_wr_q + (BW+1)'(b_valid);
      dq_wr_q <= dq_wr_q + (BW+1)'(l_valid);
      bq_rd_q <= bq_rd_q + (BW+1)'(c_end);
    end
  end

  // ---------------------------------------------------------------- S1: lanes and budgets
  logic [E-1:0]    s1_match, s1_job;
  logic [15:0]     s1_rule [E];
  logic [15:0]     s1_prog [E];
  logic [15:0]     s1_bud  [E];
  logic            s1_end, s1_shed;
  logic [48:0]     s1_bounds;
  logic [15:0]     s1_dl;
  always_ff @(posedge clk) begin
    for (int l = 0; l < E; l++) begin
      logic [23:0] raw;
      raw = 24'(c_bfix[16*l +: 16]) + 24'(c_bpay[6*l +: 6]) * 24'(h_words);
      if (c_bx2[l]) raw = raw << 1;
      s1_bud[l]  <= raw > 24'(BUDGET_MAX) ? 16'(BUDGET_MAX) : raw[15:0];
      s1_rule[l] <= c_rule[16*l +: 16];
      s1_prog[l] <= c_prog[16*l +: 16];
    end
    s1_match  <= rst ? '0 : c_valid & c_hit & c_decided;
    s1_job    <= rst ? '0 : c_valid & c_hit & ~c_decided;
    s1_end    <= !rst && c_end;
    s1_shed   <= c_shed;
    s1_bounds <= b_head;
    s1_dl     <= d_head;
  end

  // ---------------------------------------------------------------- S2: the lanes' sums
  logic [E-1:0]    s2_match, s2_job;
  logic [15:0]     s2_rule [E];
  logic [15:0]     s2_prog [E];
  logic [15:0]     s2_bud  [E];
  logic            s2_end, s2_shed;
  logic [48:0]     s2_bounds;
  logic [15:0]     s2_dl;
  logic [CW-1:0]   s2_cost;
  logic [15:0]     s2_bmax;
  logic [EW:0]     s2_njobs;
  // the jobs' reservations summed and their largest budget found by trees over 8 (the lanes
  // padded with nothing): chains of E adds and compares were the longest paths
  logic [15:0] mx8 [8];
  logic [15:0] mx4 [4];
  logic [15:0] mx2 [2];
  logic [16:0] cs8 [8];
  logic [17:0] cs4 [4];
  logic [18:0] cs2 [2];
  always_comb begin
    for (int l = 0; l < 8; l++) begin
      mx8[l] = (l < E && s1_job[l % E]) ? s1_bud[l % E] : '0;
      cs8[l] = (l < E && s1_job[l % E]) ? 17'(s1_bud[l % E]) + 17'(NV) : '0;
    end
    for (int l = 0; l < 4; l++) begin
      mx4[l] = mx8[2*l] > mx8[2*l+1] ? mx8[2*l] : mx8[2*l+1];
      cs4[l] = 18'(cs8[2*l]) + 18'(cs8[2*l+1]);
    end
    for (int l = 0; l < 2; l++) begin
      mx2[l] = mx4[2*l] > mx4[2*l+1] ? mx4[2*l] : mx4[2*l+1];
      cs2[l] = 19'(cs4[2*l]) + 19'(cs4[2*l+1]);
    end
  end
  wire logic [19:0] cs_sum = 20'(cs2[0]) + 20'(cs2[1]);
  always_ff @(posedge clk) begin
    logic [CW-1:0] cost;
    logic [15:0]   bmax;
    logic [EW:0]   n;
    n = '0;
    for (int l = 0; l < E; l++) n = n + (EW+1)'(s1_job[l]);
    cost = CW'(cs_sum);
    bmax = mx2[0] > mx2[1] ? mx2[0] : mx2[1];
    s2_cost   <= rst ? '0 : cost;  // (reset: a one-cycle reset leaves the lanes before it in S1)
    s2_bmax   <= rst ? '0 : bmax;
    s2_njobs  <= rst ? '0 : n;
    s2_match  <= rst ? '0 : s1_match;
    s2_job    <= rst ? '0 : s1_job;
    s2_end    <= !rst && s1_end;
    s2_shed   <= s1_shed;
    s2_bounds <= s1_bounds;
    s2_dl     <= s1_dl;
    for (int l = 0; l < E; l++) begin  // (Yosys 0.23 takes no whole-array assignment)
      s2_rule[l] <= s1_rule[l];
      s2_prog[l] <= s1_prog[l];
      s2_bud[l]  <= s1_bud[l];
    end
  end

  // ---------------------------------------------------------------- S3: the frame's totals
  // Everything the decision needs that does not depend on the frames decided before it, summed
  // here so that the decision (S4) is a sum, a shift and compares: the frame's reservation
  // (+ NV - 1 for the division's ceiling), its largest budget, its rows and jobs, and from them
  // and the time at S4: base = now + KJ + 1 + the largest budget (J + 1 = base + ceil(W / NV)),
  // its rows r (at least 1), base + r, now + 2 + r, now + 3, the deadline - r and the slack
  // (deadline - r) - base. A frame shed for room or upstream is shed whatever these say, so
  // they count every lane, written or not.
  logic [E-1:0]    s3_match, s3_job;
  logic [15:0]     s3_rule [E];
  logic [15:0]     s3_prog [E];
  logic [15:0]     s3_bud  [E];
  logic            s3_end, s3_shed;
  logic [48:0]     s3_bounds;
  logic [CW-1:0]   s3_cost, s3_ceil;
  logic [15:0]     s3_bmax;
  logic [RW:0]     s3_rows;
  logic [NJ-1:0]   s3_njobs;
  logic [15:0]     s3_rr, s3_c1r, s3_n2r, s3_n3, s3_dlr, s3_slack;
  logic            s3_oknow;
  logic            s3_rst;  // the totals start from zero after a reset as after an end
  always_ff @(posedge clk) s3_rst <= rst;
  wire logic       fresh = s3_end || s3_rst;
  always_ff @(posedge clk) begin
    logic [CW-1:0] cost;
    logic [15:0]   bmax, rr, base, now4, dlr;
    logic [RW:0]   rows;
    cost = (fresh ? '0 : s3_cost) + s2_cost;
    bmax = (!fresh && s3_bmax > s2_bmax) ? s3_bmax : s2_bmax;
    rows = (fresh ? '0 : s3_rows) + (RW+1)'((s2_match | s2_job) != '0);
    rr   = rows == '0 ? 16'd1 : 16'(rows);
    now4 = now_q + 16'd1;  // the time when this is at S4
    base = now4 + 16'(KJ + 1) + bmax;
    dlr  = s2_dl - rr;
    s3_cost   <= cost;
    s3_ceil   <= cost + CW'(NV - 1);
    s3_bmax   <= bmax;
    s3_rows   <= rows;
    s3_njobs  <= (fresh ? '0 : s3_njobs) + NJ'(s2_njobs);
    s3_rr     <= rr;
    s3_c1r    <= base + rr;
    s3_n2r    <= now4 + 16'd2 + rr;
    s3_n3     <= now4 + 16'd3;
    s3_dlr    <= dlr;
    s3_slack  <= dlr - base;
    s3_oknow  <= t_le(now4 + 16'd2 + rr, s2_dl);
    s3_match  <= rst ? '0 : s2_match;
    s3_job    <= rst ? '0 : s2_job;
    s3_end    <= !rst && s2_end;
    s3_shed   <= s2_shed;
    s3_bounds <= s2_bounds;
    for (int l = 0; l < E; l++) begin
      s3_rule[l] <= s2_rule[l];
      s3_prog[l] <= s2_prog[l];
      s3_bud[l]  <= s2_bud[l];
    end
  end

  // ---------------------------------------------------------------- shared state
  // pointers one bit wider than their FIFO's index
  logic [RW:0]   rq_wr_q, rq_free_q, rq_rd_q, rq_commit_q;
  logic [JW:0]   jq_wr_q, jq_free_q, jq_disp_q, jq_commit_q;
  logic [FW:0]   sl_wr_q, sl_free_q;
  logic [QW:0]   fq_wr_q, fq_wr_q1, fq_rd_q;
  logic [CW-1:0] reserved_q, held_q;
  logic [15:0]   hz_q;  // H: the cycle by which the last frame's end leaves
  // per slot: the frame's bounds, jobs without a result, a job overran
  logic [48:0]   sl_bounds [FN];

  // ---------------------------------------------------------------- S4: rows, slots, decision
  logic          fr_fail_q, fr_slot_v_q;
  logic [FW-1:0] fr_slot_q;
  logic [RW:0]   fr_rq0_q;
  logic [JW:0]   fr_jq0_q;

  wire logic          hits  = (s3_match | s3_job) != '0;
  wire logic          jobs  = s3_job != '0;
  wire logic          rq_ok = (rq_wr_q - rq_free_q) < (RW+1)'(RQ);
  wire logic          jq_ok = (jq_wr_q - jq_free_q) < (JW+1)'(JQ);
  wire logic          sl_ok = (sl_wr_q - sl_free_q) < (FW+1)'(FN);
  wire logic          fail  = fr_fail_q || (hits && !rq_ok) || (jobs && !jq_ok) ||
                              (jobs && !fr_slot_v_q && !sl_ok);
  wire logic          wr_r  = hits && !fail;
  wire logic          wr_j  = jobs && !fail;
  wire logic          alloc = wr_j && !fr_slot_v_q;
  wire logic [FW-1:0] slot  = fr_slot_v_q ? fr_slot_q : sl_wr_q[FW-1:0];
  wire logic          t_slot  = fr_slot_v_q || alloc;
  // the bound: W = held + reserved + the frame's reservation; J + 1 <= the deadline - r is
  // ceil(W / NV) <= slack (16-bit time: the difference's sign)
  wire logic [CW-1:0] w_nv    = (held_q + reserved_q + s3_ceil) >> NS;
  wire logic          w_big   = w_nv >= CW'(32768);
  // (a negative slack fails whatever ceil(W / NV) is: compared modulo 2^16 alone, a slack of
  // -443 would pass a quotient of 32,325 or more)
  wire logic          j_ok    = s3_njobs == '0 || (!s3_slack[15] && t_le(w_nv[15:0], s3_slack));
  wire logic [15:0]   hz_r    = hz_q + s3_rr;
  wire logic          admit   = s3_end && !fail && !s3_shed && !w_big && j_ok && s3_oknow &&
                                t_le(hz_q, s3_dlr);
  wire logic          shed    = s3_end && !admit;
  // H once decided: max(J + 1, now + 2, H) + r admitted, max(now + 2, H) + 1 shed
  wire logic [15:0]   h_adm   = t_max(t_max(s3_njobs != '0 ? s3_c1r + w_nv[15:0] : s3_n2r, s3_n2r), hz_r);
  wire logic [15:0]   h_shed  = t_max(s3_n3, hz_q + 16'd1);

  // job rows and retirement rows (block RAM, read ahead)
  logic [JRB-1:0] j_row_w;
  logic [RRB-1:0] r_row_w;
  always_comb begin
    j_row_w = '0;
    r_row_w = '0;
    for (int l = 0; l < E; l++) begin
      j_row_w[LB*l +: LB] = {s3_bud[l], s3_prog[l], s3_rule[l], s3_job[l]};
      r_row_w[18*l +: 18] = {s3_rule[l], s3_job[l], s3_match[l]};
    end
    j_row_w[E*LB +: FW] = slot;
    r_row_w[E*18] = jobs;
    r_row_w[E*18+1 +: JW] = jq_wr_q[JW-1:0];
  end
  logic [JW:0]    jq_disp_d;
  logic [JRB-1:0] j_head;
  dejfa_ram_1w1r #(.DEPTH(JQ), .WIDTH(JRB)) u_jobs (
    .clk, .we(wr_j), .waddr(jq_wr_q[JW-1:0]), .wdata(j_row_w), .raddr(jq_disp_d[JW-1:0]), .rdata(j_head)
  );
  logic [RW:0]    rq_rd_d;
  logic [RRB-1:0] r_head;
  dejfa_ram_1w1r #(.DEPTH(RQ), .WIDTH(RRB)) u_rows (
    .clk, .we(wr_r), .waddr(rq_wr_q[RW-1:0]), .wdata(r_row_w), .raddr(rq_rd_d[RW-1:0]), .rdata(r_head)
  );

  // frame records: {shed before, shed here, has a slot, slot, rows, the job rows' end}
  wire logic [FRB-1:0] f_rec_w = {s3_shed, shed && !s3_shed, admit && t_slot, slot,
                                  admit ? s3_rows : (RW+1)'(0),
                                  admit ? jq_wr_q + (JW+1)'(wr_j) : fr_jq0_q};
  logic [QW:0]    fq_rd_d;
  logic [FRB-1:0] f_head;
  dejfa_ram_1w1r #(.DEPTH(FQ), .WIDTH(FRB)) u_frames (
    .clk, .we(s3_end), .waddr(fq_wr_q[QW-1:0]), .wdata(f_rec_w), .raddr(fq_rd_d[QW-1:0]), .rdata(f_head)
  );

  always_ff @(posedge clk) begin
    if (alloc) sl_bounds[sl_wr_q[FW-1:0]] <= s3_bounds;
  end

  always_ff @(posedge clk) begin
    if (s3_end) begin
      fr_fail_q   <= 1'b0;
      fr_slot_v_q <= 1'b0;
      fr_rq0_q    <= admit ? rq_wr_q + (RW+1)'(wr_r) : fr_rq0_q;
      fr_jq0_q    <= admit ? jq_wr_q + (JW+1)'(wr_j) : fr_jq0_q;
    end else begin
      fr_fail_q   <= fail;
      fr_slot_v_q <= t_slot;
    end
    if (alloc) fr_slot_q <= sl_wr_q[FW-1:0];
    if (rst) begin
      fr_fail_q   <= 1'b0;
      fr_slot_v_q <= 1'b0;
      fr_rq0_q    <= '0;
      fr_jq0_q    <= '0;
    end
  end

  // ---------------------------------------------------------------- dispatch
  // read ahead: a row from 2 cycles after its write, hence the commit a cycle late here
  logic [JW:0]         jq_commit_q1;
  wire logic           j_elig = jq_disp_q != jq_commit_q1;
  logic [E-1:0]        j_mask_q;  // the head row's lanes already offered
  logic [E-1:0]        j_rem;
  logic [EW-1:0]       j_lane;
  logic                j_last, j_any;
  always_comb for (int l = 0; l < E; l++) j_rem[l] = j_head[LB*l] && !j_mask_q[l];
  dejfa_first_set #(.N(E)) u_lane (.v(j_rem), .any(j_any), .idx(j_lane));
  assign j_last = (j_rem & ~(E'(1) << j_lane)) == '0;
  logic            off_v_q;
  logic [JB-1:0]   off_q;
  wire logic       take = off_v_q && j_ready;
  wire logic       load = j_elig && j_any && (!off_v_q || take);
  wire logic [FW-1:0] j_slot = j_head[E*LB +: FW];
  wire logic [LB-2:0] j_sel  = j_head[LB*j_lane+1 +: LB-1];  // rule, prog, budget
  wire logic [48:0]   j_bnd  = sl_bounds[j_slot];
  logic [JB-1:0]   off_d;
  always_comb begin
    off_d = '0;
    off_d[dejfa_regs_pkg::VJOB_RULE_LSB +: 16]   = j_sel[15:0];
    off_d[dejfa_regs_pkg::VJOB_PROG_LSB +: 16]   = j_sel[31:16];
    off_d[dejfa_regs_pkg::VJOB_BUDGET_LSB +: 16] = j_sel[47:32];
    off_d[dejfa_regs_pkg::VJOB_PLEN_LSB +: 16]   = j_bnd[15:0];
    off_d[dejfa_regs_pkg::VJOB_POFF_LSB +: 16]   = j_bnd[31:16];
    off_d[dejfa_regs_pkg::VJOB_BASE_LSB +: 16]   = j_bnd[47:32];
    off_d[dejfa_regs_pkg::VJOB_BANK_LSB]         = j_bnd[48];
    off_d[dejfa_regs_pkg::VJOB_TAG_LSB +: TG]    = TG'({j_slot, jq_disp_q[JW-1:0], j_lane});
  end
  logic            off_last_q;  // the offered job is its row's last
  always_ff @(posedge clk) begin
    if (load) begin
      off_q      <= off_d;
      off_last_q <= j_last;
      j_mask_q <= j_last ? '0 : j_mask_q | (E'(1) << j_lane);
    end
    off_v_q <= load || (off_v_q && !take);
    if (rst) begin
      off_v_q  <= 1'b0;
      j_mask_q <= '0;
    end
  end
  assign j_valid = off_v_q;
  assign j_job   = off_q;
  wire logic [15:0]   off_bud  = off_q[dejfa_regs_pkg::VJOB_BUDGET_LSB +: 16];
  wire logic [EW-1:0] off_lane = off_q[dejfa_regs_pkg::VJOB_TAG_LSB +: EW];
  wire logic [JW-1:0] off_row  = off_q[dejfa_regs_pkg::VJOB_TAG_LSB + EW +: JW];

  // the verifier that takes: the lowest-numbered idle one
  logic [VW-1:0] v_take;
  logic          v_any;
  dejfa_first_set #(.N(NV)) u_take (.v(v_idle), .any(v_any), .idx(v_take));

  // Who ran each job: a row's verifiers (E x log2 NV bits) gathered as its jobs are taken, in
  // lane order, and written once, at its last take (one write port: the offer's row).
  // Each verifier's results: a row of E bits a job row, read, changed in its job's lane and
  // written back at its result. The retirement reads both at its row's job row and takes lane
  // l's bit from the memory of the verifier that ran it (bits of lanes another verifier ran
  // are stale and never read). (A bit memory per verifier and lane, NV x E of them, cost four
  // times the LUTRAM in Yosys' mapping: docs/HARDWARE.md "The job queue".)
  wire logic [JW-1:0]   r_jrow = r_head[E*18+1 +: JW];
  logic [E*VW-1:0]      who_acc_q, who_row;
  logic [E*VW-1:0]      who_m [JQ];
  always_comb begin
    who_row = who_acc_q;
    who_row[VW*off_lane +: VW] = v_take;
  end
  always_ff @(posedge clk) begin
    if (take && off_last_q) who_m[off_row] <= who_row;
    if (take) who_acc_q <= off_last_q ? '0 : who_row;
    if (rst) who_acc_q <= '0;
  end
  wire logic [E*VW-1:0] who_rd = who_m[r_jrow];
  logic [NV*E-1:0]      res_rd;  // verifier v's row at E v
  for (genvar v = 0; v < NV; v++) begin : g_res
    logic [E-1:0] res_m [JQ];
    wire logic [EW+JW-1:0] tag = r_tag[TG*v +: EW+JW];
    wire logic [E-1:0]     cur = res_m[tag[EW +: JW]];
    always_ff @(posedge clk) begin
      if (r_valid[v]) res_m[tag[EW +: JW]] <= (cur & ~(E'(1) << tag[EW-1:0])) | (E'(r_match[v]) << tag[EW-1:0]);
    end
    assign res_rd[E*v +: E] = res_m[r_jrow];
    // a result names the job its verifier took last
    logic [TG-1:0] ran_q;
    always_ff @(posedge clk) begin
      if (take && v_take == VW'(v)) ran_q <= off_q[dejfa_regs_pkg::VJOB_TAG_LSB +: TG];
    end
    `DEJFA_ASSERT(ResultOfItsJob_A, !r_valid[v] || r_tag[TG*v +: TG] == ran_q, clk, rst)
  end

  // ---------------------------------------------------------------- held and reserved
  logic [15:0] cnt_q [NV];
  logic [15:0] cnt_d [NV];
  always_comb begin
    for (int v = 0; v < NV; v++) begin
      if (take && v_take == VW'(v)) cnt_d[v] = off_bud - 1'b1;
      else if (r_valid[v]) cnt_d[v] = '0;
      else if (cnt_q[v] != '0) cnt_d[v] = cnt_q[v] - 1'b1;
      else cnt_d[v] = '0;
    end
  end
  always_ff @(posedge clk) begin
    logic [CW-1:0] s;
    s = '0;
    for (int v = 0; v < NV; v++) s = s + CW'(cnt_d[v]);
    held_q <= rst ? '0 : s;
    for (int v = 0; v < NV; v++) cnt_q[v] <= rst ? '0 : cnt_d[v];
    reserved_q <= rst ? '0 : reserved_q + (admit ? s3_cost : '0) - (take ? CW'(off_bud) + CW'(NV) : '0);
  end

  // ---------------------------------------------------------------- slots' results
  // A frame's jobs are done when its verifiers' results since its admission add up to its jobs.
  // Each verifier counts its results (and its overruns) per slot, modulo 2^NJ, in a LUTRAM of
  // its own, read, incremented and written back at each result (one write port); at admission
  // the queue notes the sums of the slot's counts, and at retirement compares the sums' growth
  // with the frame's jobs. Nothing is cleared, so nothing needs a second write port or a sweep
  // after reset (the counts start anywhere). A count a slot in flip-flops, decremented by any of
  // NV results a cycle, was 8,500 of 15,600 LUT at 100g with 128 slots.
  localparam int unsigned DB = 2 * NJ;  // {overruns, results}
  logic [NJ-1:0]   nj_m [FN];           // the frame's jobs
  logic [DB-1:0]   base_m [FN];         // the sums at admission
  logic [DB-1:0]   a_cnt [NV];          // each verifier's counts of the slot being admitted
  logic [DB-1:0]   f_cnt [NV];          // and of the retiring frame's slot
  for (genvar v = 0; v < NV; v++) begin : g_done
    logic [DB-1:0] dc_m [FN];
    wire logic [FW-1:0] rs  = r_tag[TG*v+EW+JW +: FW];
    wire logic [DB-1:0] cur = dc_m[rs];
    always_ff @(posedge clk) begin
      if (r_valid[v]) dc_m[rs] <= {cur[DB-1:NJ] + NJ'(r_overrun[v]), cur[NJ-1:0] + 1'b1};
    end
    assign a_cnt[v] = dc_m[slot];
    assign f_cnt[v] = dc_m[f_slot];
  end
  logic [NJ-1:0] a_res, a_ovr, f_res, f_ovr;
  always_comb begin
    a_res = '0;
    a_ovr = '0;
    f_res = '0;
    f_ovr = '0;
    for (int v = 0; v < NV; v++) begin
      a_res = a_res + a_cnt[v][NJ-1:0];
      a_ovr = a_ovr + a_cnt[v][DB-1:NJ];
      f_res = f_res + f_cnt[v][NJ-1:0];
      f_ovr = f_ovr + f_cnt[v][DB-1:NJ];
    end
  end
  always_ff @(posedge clk) begin
    if (admit && t_slot) begin
      nj_m[slot]   <= s3_njobs;
      base_m[slot] <= {a_ovr, a_res};
    end
  end
  wire logic [DB-1:0] f_base  = base_m[f_slot];
  wire logic [NJ-1:0] f_done  = f_res - f_base[NJ-1:0];
  wire logic [NJ-1:0] f_ovrs  = f_ovr - f_base[DB-1:NJ];

  // ---------------------------------------------------------------- retirement
  wire logic          f_shed_up = f_head[FRB-1];
  wire logic          f_shed    = f_head[FRB-2];
  wire logic          f_has     = f_head[FRB-3];
  wire logic [FW-1:0] f_slot    = f_head[FRB-4 -: FW];
  wire logic [RW:0]   f_rows    = f_head[JW+1 +: RW+1];
  wire logic [JW:0]   f_jq_end  = f_head[JW:0];
  wire logic          f_avail   = fq_rd_q != fq_wr_q1;  // read ahead: a record from 2 cycles after its write
  wire logic          f_ready   = f_avail && (!f_has || f_done == nj_m[f_slot]);
  wire logic          f_over    = f_has && f_ovrs != '0;
  logic [RW:0]        f_done_q;  // rows of the head frame gone
  wire logic          f_row     = f_ready && f_done_q != f_rows;
  wire logic          f_pop     = f_ready && (f_rows == '0 || f_done_q + 1'b1 == f_rows);
  assign rq_rd_d = rq_rd_q + (RW+1)'(f_row);
  assign jq_disp_d = jq_disp_q + (JW+1)'(load && j_last);
  assign fq_rd_d = fq_rd_q + (QW+1)'(f_pop);

  always_ff @(posedge clk) begin
    for (int l = 0; l < E; l++) begin
      logic kind_j, kind_m, bit_r;
      kind_m = r_head[18*l];
      kind_j = r_head[18*l+1];
      bit_r  = res_rd[E*32'(who_rd[VW*l +: VW]) + l];
      o_valid[l] <= f_row && !f_over && (kind_m || (kind_j && bit_r));
      o_rule[16*l +: 16] <= r_head[18*l+2 +: 16];
    end
    o_end      <= f_pop;
    o_overflow <= f_pop && (f_shed_up || f_shed || f_over);
    o_shed     <= f_pop && f_shed;
    o_overrun  <= f_pop && f_over;
    if (rst) begin
      o_valid <= '0;
      o_end   <= 1'b0;
    end
  end

  // ---------------------------------------------------------------- pointers
  always_ff @(posedge clk) begin
    if (rst) begin
      rq_wr_q <= '0; rq_free_q <= '0; rq_rd_q <= '0; rq_commit_q <= '0;
      jq_wr_q <= '0; jq_free_q <= '0; jq_disp_q <= '0; jq_commit_q <= '0; jq_commit_q1 <= '0;
      sl_wr_q <= '0; sl_free_q <= '0;
      fq_wr_q <= '0; fq_wr_q1 <= '0; fq_rd_q <= '0;
      f_done_q <= '0;
      hz_q <= '0;
    end else begin
      // written rows, taken back when the frame is shed
      if (shed) begin
        rq_wr_q <= fr_rq0_q;
        jq_wr_q <= fr_jq0_q;
        sl_wr_q <= sl_wr_q - (FW+1)'(fr_slot_v_q);
      end else begin
        rq_wr_q <= rq_wr_q + (RW+1)'(wr_r);
        jq_wr_q <= jq_wr_q + (JW+1)'(wr_j);
        sl_wr_q <= sl_wr_q + (FW+1)'(alloc);
      end
      if (admit) begin
        rq_commit_q <= rq_wr_q + (RW+1)'(wr_r);
        jq_commit_q <= jq_wr_q + (JW+1)'(wr_j);
      end
      fq_wr_q  <= fq_wr_q + (QW+1)'(s3_end);
      fq_wr_q1 <= fq_wr_q;
      // H: each frame's bound once decided, never behind the present
      if (s3_end) hz_q <= admit ? h_adm : h_shed;
      else hz_q <= t_max(hz_q, now_q);
      // dispatch
      jq_disp_q <= jq_disp_d;
      jq_commit_q1 <= jq_commit_q;
      // retirement
      rq_rd_q <= rq_rd_d;
      fq_rd_q <= fq_rd_d;
      if (f_pop) begin
        f_done_q  <= '0;
        rq_free_q <= rq_rd_d;
        jq_free_q <= f_jq_end;
        sl_free_q <= sl_free_q + (FW+1)'(f_has);
      end else if (f_row) begin
        f_done_q <= f_done_q + 1'b1;
      end
    end
  end

  // ---------------------------------------------------------------- assertions
  logic [E-1:0] bud_lt2;
  always_comb for (int l = 0; l < E; l++) bud_lt2[l] = s3_job[l] && s3_bud[l] < 16'd2;
  `DEJFA_ASSERT(BoundsBeforeCandidates_A, !in_any || bq_wr_q != bq_rd_q, clk, rst)
  `DEJFA_ASSERT(DeadlineBeforeEnd_A, !c_end || dq_wr_q != bq_rd_q, clk, rst)
  `DEJFA_ASSERT(BoundsFit_A, !b_valid || (bq_wr_q - bq_rd_q) < (BW+1)'(BQ), clk, rst)
  `DEJFA_ASSERT(DeadlinesFit_A, !l_valid || (dq_wr_q - bq_rd_q) < (BW+1)'(BQ), clk, rst)
  `DEJFA_ASSERT(FramesFit_A, !s3_end || (fq_wr_q - fq_rd_q) < (QW+1)'(FQ), clk, rst)
  `DEJFA_ASSERT(RowsBounded_A, (rq_wr_q - rq_free_q) <= (RW+1)'(RQ), clk, rst)
  `DEJFA_ASSERT(JobRowsBounded_A, (jq_wr_q - jq_free_q) <= (JW+1)'(JQ), clk, rst)
  `DEJFA_ASSERT(SlotsBounded_A, (sl_wr_q - sl_free_q) <= (FW+1)'(FN), clk, rst)
  `DEJFA_ASSERT(DispatchCommitted_A, (jq_disp_q - jq_free_q) <= (jq_commit_q - jq_free_q), clk, rst)
  `DEJFA_ASSERT(CommitWritten_A, (jq_commit_q - jq_free_q) <= (jq_wr_q - jq_free_q), clk, rst)
  `DEJFA_ASSERT(RetireCommitted_A, !f_row || rq_rd_q != rq_commit_q, clk, rst)
  `DEJFA_ASSERT(JobRowHasJob_A, !j_elig || j_any, clk, rst)
  `DEJFA_ASSERT(TakeToIdle_A, !take || v_any, clk, rst)
  `DEJFA_ASSERT(BudgetTwo_A, !wr_j || bud_lt2 == '0, clk, rst)
  `DEJFA_ASSERT(ReservedCovers_A, !take || reserved_q >= CW'(off_bud) + CW'(NV), clk, rst)
endmodule

`resetall
`default_nettype wire
