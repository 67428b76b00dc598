// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_anchor_expand: anchors new in their frame become their rules (issue #25;
 * docs/ARCHITECTURE.md section 7, "Expansion and the header check"; docs/HARDWARE.md
 * "Expansion"; host model: dejfa::afilt::range_tables). Behind dejfa_anchor_seen (the long
 * anchors' records new in their frame, per tag bank) and dejfa_anchor_short (the short anchors
 * new in their frame, per beat): each new anchor's rule range [first, first + count) (RANGE_REC)
 * leaves as up to E rule ids a cycle, one frame at a time, frames in order, so the lanes behind
 * read one frame's header descriptor per cycle.
 *
 * Long anchors: per tag bank a block RAM of ranges (image bank, record) read in the cycle the
 * seen block reports the record, the range queued the next cycle in one of two FIFOs by the
 * frame's parity (a bank's records come almost in frame order: a held confirm group can bring
 * frame f + 1's before f's last, never f + 2's, so the current frame's ranges are at the head of
 * its parity's FIFO). r_room is the seen block's m_room: both FIFOs can take the lookups in
 * flight.
 *
 * Short anchors: each frame's new entries (the OR of m_new over its beats) and image bank queued
 * in a FIFO of SQ frames; a frame that finds it full is shed (counted beside the next entry, or
 * here when none follows). A converter takes the lowest E set bits of a frame's entries a cycle
 * (a frame with none costs a cycle), reads their ranges (LUTRAM, a copy per lane) and queues
 * them, the frame's last marked, in a FIFO of 4E read E at a time. It runs at most LEAD frames
 * ahead of the allocator, which reads whether it shed a frame from a LEAD-entry bitmap.
 *
 * Allocation, one cycle a frame at most: the sources are the heads of the BANKS parity FIFOs of
 * the current frame and the next E short ranges; their counts (capped at E) are summed in a
 * saturating prefix (log depth), a source that fits goes whole, the first that does not gets the
 * lanes left and keeps an offset. The frame ends in the cycle its last range goes: a one-entry
 * look-ahead per parity FIFO (whether the entry after the head is of the same frame) and the
 * short ranges' last mark say none follows, the converter is past it, and the seen block's frame
 * done has come (d_ready: a queue of 8). The lanes are placed the cycle after (a one-hot pick of
 * each lane's source) and registered: a frame's lanes and its end leave 3 cycles after the cycle
 * that allocates them.
 *
 * Frames are numbered as the seen block numbers them (every frame from reset, TAG_W bits): the
 * short block's frames are the same frames in the same order (asserted: the frame done is the one
 * allocated).
 */
module dejfa_anchor_expand #(
  /// AXI4-Stream data width in bits (64 or 512): sets BANKS and E
  parameter int unsigned DATA_W = 64,
  /// records per image bank (the map's ANCHORS_N), as dejfa_anchor_seen's
  parameter int unsigned ANCHORS_N = 4096,
  /// tag banks, as dejfa_anchor_seen's
  parameter int unsigned BANKS = DATA_W >= 128 ? 16 : 2,
  /// the seen block's scrubber period (its TAG_W)
  parameter int unsigned SCRUB = 32,
  /// rule ids a cycle
  parameter int unsigned E = DATA_W >= 128 ? 8 : 2,
  /// a parity FIFO's entries
  parameter int unsigned RD = 16,
  /// frames the short FIFO holds
  parameter int unsigned SQ = 256,
  /// frames the converter may run ahead of the gather
  parameter int unsigned LEAD = 32,
  /// the merged queue's entries per lane (E x MD in all)
  parameter int unsigned MD = 16,
  /// short anchors per bank (the map's ANCHOR_SHORT_N)
  localparam int unsigned SHORT_N = dejfa_regs_pkg::ANCHOR_SHORT_N,
  localparam int unsigned IDW = $clog2(ANCHORS_N),
  localparam int unsigned TAG_W = $clog2(ANCHORS_N / BANKS * SCRUB) + 3,
  /// a rule id, a range's count (RANGE_REC)
  localparam int unsigned RIW = dejfa_regs_pkg::RANGE_REC_FIRST_W,
  localparam int unsigned RCW = dejfa_regs_pkg::RANGE_REC_COUNT_W
) (
  input  wire logic                   clk,
  input  wire logic                   rst,

  /// table writes: one RANGE_REC a cycle into a bank not being read (the shadow)
  input  wire logic                   tw_en,
  /// the image bank written
  input  wire logic                   tw_bank,
  /// 0: a confirm record's range (tw_addr the record); 1: a short entry's (tw_addr the entry)
  input  wire logic                   tw_sel,
  input  wire logic [IDW-1:0]         tw_addr,
  input  wire logic [dejfa_regs_pkg::RANGE_REC_W-1:0] tw_data,

  /// the seen block's new records: per tag bank a record (m_valid, m_rec, m_frame, m_bank)
  input  wire logic [BANKS-1:0]       r_valid,
  /* verilator lint_off UNUSEDSIGNAL */  // a record's low bits are its tag bank, b by position
  input  wire logic [BANKS*IDW-1:0]   r_rec,
  /* verilator lint_on UNUSEDSIGNAL */
  input  wire logic [BANKS*TAG_W-1:0] r_frame,
  input  wire logic [BANKS-1:0]       r_bank,
  /// the seen block's m_room: per tag bank, a result two cycles later is taken
  output logic [BANKS-1:0]            r_room,
  /// the seen block's frames done (d_*), in order
  input  wire logic                   d_valid,
  input  wire logic [TAG_W-1:0]       d_frame,
  input  wire logic                   d_shed,
  input  wire logic                   d_full,
  /// the seen block's d_ready
  output logic                        d_ready,

  /// the short block's beats (m_valid, m_last, m_bank, m_new)
  input  wire logic                   s_valid,
  input  wire logic                   s_last,
  input  wire logic                   s_bank,
  input  wire logic [SHORT_N-1:0]     s_new,

  /// per lane: a rule id of the frame m_frame
  output logic [E-1:0]                m_valid,
  /// lane j in bits RIW*j+RIW-1..RIW*j
  output logic [E*RIW-1:0]            m_rule,
  /// per lane: the image bank of its rule's range
  output logic [E-1:0]                m_bank,
  /// the frame of this cycle's lanes and end
  output logic [TAG_W-1:0]            m_frame,
  /// m_frame's last rules have left (with this cycle's lanes, if any)
  output logic                        m_end,
  /// with m_end: its candidates are incomplete (shed by the confirm, the seen block or here)
  output logic                        m_shed,
  /// with m_end: shed for lack of room (in the seen block, or its short anchors here)
  output logic                        m_full
);
  localparam int unsigned KW = $clog2(BANKS);
  localparam int unsigned LAW = IDW - KW;
  localparam int unsigned BANK_N = ANCHORS_N / BANKS;
  localparam int unsigned SIW = $clog2(SHORT_N);
  localparam int unsigned RDW = $clog2(RD);
  localparam int unsigned EW = $clog2(E + 1);            // 0 .. E
  // a range queued: bank, frame, first, count, and (for the allocation loop) its count capped at
  // E + 1 and whether it is at most E
  localparam int unsigned CC = RCW + EW + 1;             // count, capped, small
  localparam int unsigned QW = 1 + TAG_W + RIW + CC;
  localparam int unsigned SQW = $clog2(SQ);
  localparam int unsigned LW = $clog2(LEAD);
  localparam int unsigned EIW = E > 1 ? $clog2(E) : 1;
  localparam int unsigned SD = 4;                        // a short sub-FIFO's entries
  localparam int unsigned NS = BANKS + E;                // the gather's sources
  localparam int unsigned SEW = 1 + TAG_W + RIW + CC + 1;  // a short range: + last of its frame
  localparam int unsigned DD = 8;                        // frames done queued
  localparam int unsigned SCW = $clog2(SD * E + 1);      // the short ranges queued
  localparam int unsigned GDW = 1 + RIW + CC;            // a gathered range: bank, first, count
  localparam int unsigned MEW = GDW + 3;                 // merged: + shed, full, last
  localparam int unsigned MCW = $clog2(MD * E + 1);      // the merged queue's entries

  // a range's count with its count capped at E + 1 (more than the lanes) and whether it is at
  // most E
  function automatic logic [CC-1:0] counted(input logic [RCW-1:0] n);
    counted = {n, n > RCW'(E) ? EW'(E + 1) : EW'(n), n <= RCW'(E)};
  endfunction

  // counted(n - x) for x = E - used, 0 < x <= E, x < n: what is left of a range partly taken,
  // shaped for the end of the allocation loop, where used (the lanes of the sources before it)
  // comes late: the low bits' difference, its borrow and whether it is at most E are read from a
  // constant table by {n's low bits, used} (LUTs, no carry chain after the prefix); the high
  // part, less one or not, comes from n alone, beside the loop's prefix. n - x is at most E only
  // if n < 2 E <= 2^LB, so only when the high part is 0 (and then nothing borrows).
  localparam int unsigned LB = EW + 1;  // low bits: 2^LB >= 2 E
  function automatic logic [(LB+2)*(1 << (LB + EW))-1:0] less_table();
    less_table = '0;
    for (int unsigned n = 0; n < (1 << LB); n++) begin
      for (int unsigned u = 0; u < (1 << EW); u++) begin
        logic [LB:0] lo;
        lo = (LB+1)'(n) - (LB+1)'(u < E ? E - u : 0);
        less_table[(LB+2)*(n * (1 << EW) + u) +: LB+2] = {lo[LB], lo[LB-1:0] <= LB'(E), lo[LB-1:0]};
      end
    end
  endfunction
  localparam logic [(LB+2)*(1 << (LB + EW))-1:0] LESS_T = less_table();
  function automatic logic [CC-1:0] counted_less(input logic [RCW-1:0] n, input logic [EW-1:0] used);
    logic [LB-1:0]      lo;
    logic [RCW-LB-1:0]  hi, hi1;
    logic               borrow, le, le_e;
    {borrow, le, lo} = LESS_T[(LB+2)*{n[LB-1:0], used} +: LB+2];
    hi = n[RCW-1:LB];
    hi1 = hi - 1'b1;
    le_e = hi == '0 && le;
    counted_less = {borrow ? hi1 : hi, lo, le_e ? EW'(lo) : EW'(E + 1), le_e};
  endfunction
  // E - used for used at most E (0 beyond), as a constant table: the lanes left for a source
  function automatic logic [EW*(1 << EW)-1:0] left_table();
    left_table = '0;
    for (int unsigned u = 0; u <= E; u++) left_table[EW*u +: EW] = EW'(E - u);
  endfunction
  localparam logic [EW*(1 << EW)-1:0] LEFT_T = left_table();

  // a + b for a, b at most E, saturated at E
  function automatic logic [EW-1:0] sat(input logic [EW-1:0] a, input logic [EW-1:0] b);
    sat = (EW+1)'(a) + (EW+1)'(b) >= (EW+1)'(E) ? EW'(E) : EW'(a + b);
  endfunction
  // a + b for a, b at most lim (E or E + 1, which EW bits hold), saturated at lim, as a table
  // read by {a, b} rather than an add and a compare, so that synthesis makes it LUTs, not a carry
  // chain: a level of the gather's and the allocation's prefixes, inside their one-cycle loops
  // (at 100g the first form's loop went from 78 cells to 63 with it; in the converter's
  // 64-entry prefix, not a loop's critical part, it would double the block's LUTs). The table
  // is a constant, so a Verilated model reads it rather than searching it (a search of the
  // pairs was most of the 100g unit test's time).
  function automatic logic [EW*(1 << (2 * EW))-1:0] sat_table(input int unsigned lim);
    sat_table = '0;
    for (int unsigned x = 0; x < (1 << EW); x++) begin
      for (int unsigned y = 0; y < (1 << EW); y++) begin
        sat_table[EW*(x * (1 << EW) + y) +: EW] = EW'(x + y < lim ? x + y : lim);
      end
    end
  endfunction
  localparam logic [EW*(1 << (2 * EW))-1:0] SAT_E = sat_table(E);
  localparam logic [EW*(1 << (2 * EW))-1:0] SAT_E1 = sat_table(E + 1);

  initial begin
    if (BANKS < 2 || (1 << KW) != BANKS) $fatal(1, "dejfa_anchor_expand: BANKS must be a power of two (%m)");
    if (E < 2 || (1 << EIW) != E) $fatal(1, "dejfa_anchor_expand: E must be a power of two >= 2 (%m)");
    if (RD < 8 || (1 << RDW) != RD) $fatal(1, "dejfa_anchor_expand: RD must be a power of two >= 8 (%m)");
    if (SQ < 4 || (1 << SQW) != SQ) $fatal(1, "dejfa_anchor_expand: SQ must be a power of two >= 4 (%m)");
    if (LEAD < 4 || (1 << LW) != LEAD || LEAD >= (1 << (TAG_W - 2))) $fatal(1, "dejfa_anchor_expand: LEAD must be a power of two, 4..2^(TAG_W-2) (%m)");
    if (SHORT_N != 64) $fatal(1, "dejfa_anchor_expand: the converter's count is written for 64 short entries (%m)");
  end

  // ---- the long anchors' ranges: read with the record (stage P), queued the next cycle
  logic [BANKS-1:0]                         pv_q, pb_q;
  logic [TAG_W-1:0]                         pf_q [BANKS];
  logic [dejfa_regs_pkg::RANGE_REC_W-1:0]   prd [BANKS];
  for (genvar b = 0; b < BANKS; b++) begin : g_rng
    logic we;
    assign we = tw_en && !tw_sel && tw_addr[KW-1:0] == KW'(b);
    dejfa_ram_1w1r #(.DEPTH(2 * BANK_N), .WIDTH(dejfa_regs_pkg::RANGE_REC_W)) u_rng (
      .clk(clk), .we(we), .waddr({tw_bank, tw_addr[IDW-1:KW]}), .wdata(tw_data),
      .raddr({r_bank[b], r_rec[IDW*b + KW +: LAW]}), .rdata(prd[b])
    );
    always_ff @(posedge clk) begin
      pv_q[b] <= r_valid[b];
      pf_q[b] <= r_frame[TAG_W*b +: TAG_W];
      pb_q[b] <= r_bank[b];
      if (rst) pv_q[b] <= 1'b0;
    end
  end

  // ---- the gather's frame and its decisions (below)
  logic [TAG_W-1:0] gcur_q;              // the frame whose ranges are gathered
  logic             gadv;                // all its ranges are gathered this cycle

  // ---- the parity FIFOs: FIFO 2b + p holds bank b's ranges of frames of parity p. Each entry
  //      also has, in a 1-bit LUTRAM of its own, whether the entry before it in the FIFO is of
  //      its frame (read at the head + 1: another range of the head's frame follows).
  logic [RDW:0]     cnt_q [2*BANKS];
  logic [QW-1:0]    hq [2*BANKS];        // each FIFO's head
  logic [2*BANKS-1:0] nx;                // the entry after the head exists and is of its frame
  logic [BANKS-1:0] bpop;                // bank b's current FIFO pops its head
  for (genvar q = 0; q < 2 * BANKS; q++) begin : g_pq
    localparam int unsigned B = q / 2;
    localparam logic        P = 1'(q % 2);
    (* ram_style = "distributed" *) logic [QW-1:0] mem [RD];
    (* ram_style = "distributed" *) logic          same [RD];
    logic [RDW-1:0]   wp_q, rp_q;
    logic [TAG_W-1:0] lf_q;              // the frame of the last entry pushed
    logic             push, pop;
    assign push = pv_q[B] && pf_q[B][0] == P;
    assign pop = bpop[B] && gcur_q[0] == P;
    always_ff @(posedge clk) begin
      if (push) begin
        mem[wp_q] <= {pb_q[B], pf_q[B], prd[B][dejfa_regs_pkg::RANGE_REC_FIRST_LSB +: RIW],
                      counted(prd[B][dejfa_regs_pkg::RANGE_REC_COUNT_LSB +: RCW])};
        same[wp_q] <= lf_q == pf_q[B];
        lf_q <= pf_q[B];
        wp_q <= wp_q + 1'b1;
      end
      if (pop) rp_q <= rp_q + 1'b1;
      cnt_q[q] <= cnt_q[q] + (RDW+1)'(push) - (RDW+1)'(pop);
      if (rst) begin
        wp_q <= '0;
        rp_q <= '0;
        cnt_q[q] <= '0;
        lf_q <= '1;
      end
    end
    assign hq[q] = mem[rp_q];
    assign nx[q] = cnt_q[q] >= (RDW+1)'(2) && same[RDW'(rp_q + 1'b1)];
    // (lf_q starts at all ones: a first entry of frame 2^TAG_W - 1 would read as following an
    // entry of its frame only when one exists, which nx's count excludes)
  end
  always_comb begin
    for (int unsigned b = 0; b < BANKS; b++) begin
      // room for the lookups in flight: a lookup started this cycle is pushed 3 cycles later,
      // so up to 4 can be pushed before a count shows them
      r_room[b] = cnt_q[2*b] <= (RDW+1)'(RD - 4) && cnt_q[2*b+1] <= (RDW+1)'(RD - 4);
    end
  end

  // ---- frames done (the seen block's), queued
  logic [TAG_W+1:0] dq_mem [DD];
  logic [2:0]       dwp_q, drp_q;
  logic [3:0]       dcnt_q;
  logic [TAG_W+1:0] dh;
  assign dh = dq_mem[drp_q];
  // (from registers only: a frame done decided with d_ready comes a cycle later, beside the one
  // decided the cycle before)
  assign d_ready = dcnt_q <= 4'(DD - 2);
  always_ff @(posedge clk) begin
    if (d_valid) begin
      dq_mem[dwp_q] <= {d_full, d_shed, d_frame};
      dwp_q <= dwp_q + 1'b1;
    end
    if (gadv) drp_q <= drp_q + 1'b1;
    dcnt_q <= dcnt_q + 4'(d_valid) - 4'(gadv);
    if (rst) begin
      dwp_q <= '0;
      drp_q <= '0;
      dcnt_q <= '0;
    end
  end

  // ---- the short anchors: each frame's entries, queued (sb: frames shed just before it)
  localparam int unsigned FW = SHORT_N + 1 + TAG_W;  // entries, bank, sb
  logic [SHORT_N-1:0] acc_q;
  (* ram_style = "distributed" *) logic [FW-1:0] fq_mem [SQ];
  logic [SQW-1:0]     fwp_q, frp_q;
  logic [SQW:0]       fcnt_q;
  logic [TAG_W-1:0]   pd_q;               // frames shed after the last entry
  logic [FW-1:0]      fh;                 // the head
  logic               fpush, fdrop, fpop, pd_take;
  assign fh = fq_mem[frp_q];
  assign fdrop = s_valid && s_last && fcnt_q == (SQW+1)'(SQ);
  assign fpush = s_valid && s_last && !fdrop;
  always_ff @(posedge clk) begin
    if (s_valid) acc_q <= s_last ? '0 : acc_q | s_new;
    if (fpush) begin
      fq_mem[fwp_q] <= {pd_q - TAG_W'(pd_take), s_bank, acc_q | s_new};
      fwp_q <= fwp_q + 1'b1;
    end
    pd_q <= fpush ? '0 : pd_q + TAG_W'(fdrop) - TAG_W'(pd_take);
    if (fpop) frp_q <= frp_q + 1'b1;
    fcnt_q <= fcnt_q + (SQW+1)'(fpush) - (SQW+1)'(fpop);
    if (rst) begin
      acc_q <= '0;
      fwp_q <= '0;
      frp_q <= '0;
      fcnt_q <= '0;
      pd_q <= '0;
    end
  end

  // ---- the converter, stage C1: the lowest E set bits of the frame's entries (those left, or
  //      the head's when it starts a frame), by a saturating prefix count over the 64 bits
  logic               have_q;             // a frame's entries are being taken (r_q)
  logic [SHORT_N-1:0] r_q;
  logic               rb_q;
  logic [TAG_W-1:0]   cfc_q;              // the frame C1 converts
  logic [TAG_W-1:0]   hs_q;               // the head's sb frames already shed
  logic               c_go, c_shed, c_load;
  logic [SHORT_N-1:0] c_src, c_taken;
  logic               c_bank;
  logic [SCW-1:0]     scnt_q;             // the short ranges queued (stage C2)
  always_comb begin
    c_go = TAG_W'(cfc_q - gcur_q) < TAG_W'(LEAD) && scnt_q <= SCW'(2 * E);
    c_shed = 1'b0;
    c_load = 1'b0;
    pd_take = 1'b0;
    // (the entries counted whatever the frame: which frame, if any, is decided beside the count)
    c_src = have_q ? r_q : fh[SHORT_N-1:0];
    c_bank = have_q ? rb_q : fh[SHORT_N];
    if (c_go && !have_q) begin
      if (fcnt_q != '0 && hs_q != fh[FW-1 -: TAG_W]) begin
        c_shed = 1'b1;
      end else if (fcnt_q != '0) begin
        c_load = 1'b1;
      end else if (pd_q != '0) begin
        c_shed = 1'b1;
        pd_take = 1'b1;
      end
    end
  end
  assign fpop = c_load;
  // rank of each bit among the set bits below it, saturated at E (log-depth prefix)
  localparam int unsigned LV = $clog2(SHORT_N);
  logic [SHORT_N*EW-1:0] rank;
  always_comb begin
    logic [SHORT_N*EW-1:0] s, n;
    s[EW-1:0] = '0;
    for (int unsigned i = 1; i < SHORT_N; i++) s[EW*i +: EW] = EW'(c_src[i-1]);
    for (int unsigned l = 0; l < LV; l++) begin
      n = s;
      for (int unsigned i = 0; i < SHORT_N; i++) begin
        if (i >= (1 << l)) begin
          // (at 10g, 2-bit counts: the table is a LUT4 a bit, shorter than the add; at 100g it
          // would double the block's LUTs)
          n[EW*i +: EW] = E <= 2 ? SAT_E[EW*{s[EW*i +: EW], s[EW*(i - (1 << l)) +: EW]} +: EW]
                                 : sat(s[EW*i +: EW], s[EW*(i - (1 << l)) +: EW]);
        end
      end
      s = n;
    end
    rank = s;
  end
  logic c_act;  // C1 has a frame this cycle (its entries, or a shed frame)
  assign c_act = c_go && (have_q || c_load || c_shed);
  always_comb begin
    for (int unsigned i = 0; i < SHORT_N; i++) begin
      c_taken[i] = c_src[i] && rank[EW*i +: EW] < EW'(E) && !c_shed;
    end
  end
  logic               c2v_q, c2fin_q, c2shed_q, c2b_q;
  logic [TAG_W-1:0]   c2f_q;
  logic [E*SIW-1:0]   c2idx_q;
  logic [EW-1:0]      c2n_q;
  always_ff @(posedge clk) begin
    c2v_q <= c_act;
    if (c_act) begin
      logic [SHORT_N-1:0] rest;
      logic [EW-1:0]      n;
      rest = c_src & ~c_taken;
      n = '0;
      for (int unsigned k = 0; k < E; k++) begin
        logic [SIW-1:0] ix;
        ix = '0;
        for (int unsigned i = 0; i < SHORT_N; i++) begin
          if (c_taken[i] && rank[EW*i +: EW] == EW'(k)) ix = ix | SIW'(i);
        end
        c2idx_q[SIW*k +: SIW] <= ix;
      end
      // taken: the set bits, at most E (the last bit's rank, plus the bit itself)
      n = c_shed ? '0 : sat(rank[EW*(SHORT_N-1) +: EW], EW'(c_src[SHORT_N-1]));
      c2n_q <= n;
      c2fin_q <= c_shed || rest == '0;
      c2shed_q <= c_shed;
      c2b_q <= c_bank;
      c2f_q <= cfc_q;
      r_q <= rest;
      rb_q <= c_bank;
      have_q <= !c_shed && rest != '0;
      if (c_shed || rest == '0) cfc_q <= cfc_q + 1'b1;
      if (c_load) hs_q <= '0;
      else if (c_shed && !pd_take) hs_q <= hs_q + 1'b1;
    end
    if (rst) begin
      c2v_q <= 1'b0;
      have_q <= 1'b0;
      cfc_q <= '0;
      hs_q <= '0;
    end
  end

  // ---- stage C2: the taken entries' ranges (a LUTRAM copy per lane), queued E at a time (entry
  //      k of a cycle is the k-th taken); the frame converted, and whether it was shed, when its
  //      last entries are queued
  logic [TAG_W-1:0]   cfp_q;             // frames converted: all their ranges queued
  logic [LEAD-1:0]    shed_bm_q;         // per frame mod LEAD: shed here
  logic [EW-1:0]      sn_pop;            // short ranges gathered this cycle
  logic [E*SEW-1:0]   s_in, s_out;       // the cycle's short ranges; the visible, k = 0 .. E - 1
  logic [SEW-1:0]     se [E];
  logic [RIW+RCW-1:0] srd [E];           // lane k's range read
  for (genvar k = 0; k < E; k++) begin : g_srt
    (* ram_style = "distributed" *) logic [RIW+RCW-1:0] srt [2*SHORT_N];
    always_ff @(posedge clk) begin
      if (tw_en && tw_sel) begin
        srt[{tw_bank, tw_addr[SIW-1:0]}] <=
            {tw_data[dejfa_regs_pkg::RANGE_REC_FIRST_LSB +: RIW],
             tw_data[dejfa_regs_pkg::RANGE_REC_COUNT_LSB +: RCW]};
      end
    end
    assign srd[k] = srt[{c2b_q, c2idx_q[SIW*k +: SIW]}];
    assign s_in[SEW*k +: SEW] = {c2b_q, c2f_q, srd[k][RCW +: RIW], counted(srd[k][RCW-1:0]),
                                 c2fin_q && EW'(k) + 1'b1 == c2n_q};
    assign se[k] = s_out[SEW*k +: SEW];
  end
  dejfa_fifo_n #(.N(E), .DEPTH(SD), .WIDTH(SEW)) u_short_q (
    .clk(clk), .rst(rst), .in_n(c2v_q ? c2n_q : '0), .in_data(s_in), .pop_n(sn_pop),
    .out_data(s_out), .count(scnt_q)
  );
  always_ff @(posedge clk) begin
    if (c2v_q && c2fin_q) begin
      cfp_q <= cfp_q + 1'b1;
      shed_bm_q[c2f_q[LW-1:0]] <= c2shed_q;
    end
    if (rst) cfp_q <= '0;
  end

  // ---- the gather (stage G): up to E ranges a cycle of frame gcur_q, from the tag banks' heads
  //      of its parity (sources 0 .. BANKS-1) and the visible short ranges (BANKS .. NS-1), in
  //      source order, while the merged queue has room for them and the cycle before's. Its loop
  //      is a count of the sources before each (1 bit each, saturated at E). The frame is
  //      gathered in the cycle its last range goes: a one-entry look-ahead per parity FIFO
  //      (whether the entry after the head is of the same frame) and the short ranges' last mark
  //      say none follows, the converter is past it, and the seen block's frame done has come
  //      (d_ready: a queue of 8); that cycle's last range carries the frame's end (or an end
  //      entry of no rules, when none goes).
  logic [NS-1:0]    gsv, gtk;            // the source has a range of frame gcur_q; it is taken
  logic [NS*EW-1:0] grank;               // sources with a range before it, saturated at E
  logic [GDW-1:0]   gd [NS];             // its range: bank, first, count (counted)
  logic             groom;
  logic [MCW-1:0]   mcnt;                // the merged queue's entries
  assign groom = mcnt <= MCW'(E * MD - 2 * E);
  always_comb begin
    for (int unsigned b = 0; b < BANKS; b++) begin
      logic [QW-1:0] h;
      h = hq[{KW'(b), gcur_q[0]}];
      gsv[b] = cnt_q[{KW'(b), gcur_q[0]}] != '0 && h[RIW + CC +: TAG_W] == gcur_q;
      gd[b] = {h[QW-1], h[RIW + CC - 1:0]};
    end
    for (int unsigned k = 0; k < E; k++) begin
      gsv[BANKS+k] = SCW'(k) < scnt_q && se[k][1 + CC + RIW +: TAG_W] == gcur_q;
      gd[BANKS+k] = {se[k][SEW-1], se[k][RIW + CC:1]};
    end
  end
  localparam int unsigned LVS = $clog2(NS);
  always_comb begin
    logic [NS*EW-1:0] s, n;
    s[EW-1:0] = '0;
    for (int unsigned i = 1; i < NS; i++) s[EW*i +: EW] = EW'(gsv[i-1]);
    for (int unsigned l = 0; l < LVS; l++) begin
      n = s;
      for (int unsigned i = 0; i < NS; i++) begin
        if (i >= (1 << l)) n[EW*i +: EW] = SAT_E[EW*{s[EW*i +: EW], s[EW*(i - (1 << l)) +: EW]} +: EW];
      end
      s = n;
    end
    grank = s;
    for (int unsigned i = 0; i < NS; i++) gtk[i] = groom && gsv[i] && grank[EW*i +: EW] != EW'(E);
  end
  always_comb begin
    logic more;                          // a range of the frame stays after this cycle
    more = 1'b0;
    for (int unsigned b = 0; b < BANKS; b++) begin
      more = more || gsv[b] && (!gtk[b] || nx[{KW'(b), gcur_q[0]}]);
    end
    for (int unsigned k = 0; k < E; k++) more = more || gsv[BANKS+k] && !gtk[BANKS+k];
    // the last visible short range of the frame, taken, but not its frame's last: more follow
    more = more || (scnt_q > SCW'(E) && gsv[NS-1] && !se[E-1][0]);
    gadv = groom && dcnt_q != '0 && cfp_q != gcur_q && !more;
    // (the short ranges taken are a prefix of the visible: the queue is in order)
    sn_pop = '0;
    for (int unsigned k = 0; k < E; k++) begin
      if (gtk[BANKS+k] && (k + 1 == E || !gtk[BANKS+k+1])) sn_pop = sn_pop | EW'(k + 1);
    end
    for (int unsigned b = 0; b < BANKS; b++) bpop[b] = gtk[b];
  end
  logic [NS-1:0]    gtk_q;
  logic [NS*EW-1:0] grank_q;
  logic [GDW-1:0]   gd_q [NS];
  logic [EW-1:0]    gn_q;                // ranges taken
  logic             gend_q, gshed_q, gfull_q;
  always_ff @(posedge clk) begin
    gtk_q <= gtk;
    grank_q <= grank;
    for (int unsigned i = 0; i < NS; i++) gd_q[i] <= gd[i];
    gn_q <= groom ? sat(grank[EW*(NS-1) +: EW], EW'(gtk[NS-1])) : '0;
    gend_q <= gadv;
    gshed_q <= dh[TAG_W] || shed_bm_q[gcur_q[LW-1:0]];
    gfull_q <= dh[TAG_W+1] || shed_bm_q[gcur_q[LW-1:0]];
    if (gadv) gcur_q <= gcur_q + 1'b1;
    if (rst) begin
      gtk_q <= '0;
      gend_q <= 1'b0;
      gcur_q <= '0;
    end
  end

  // ---- the merged queue: the gathered ranges in order (the k-th taken of a cycle its entry k),
  //      each frame's last marked; a frame gathered with no range this cycle is an end entry of
  //      no rules. An entry: bank, first, count (counted), shed, full, last.
  logic [E*MEW-1:0] m_in, m_out;
  logic [EW-1:0]    m_in_n, m_pop;
  always_comb begin
    for (int unsigned k = 0; k < E; k++) begin
      logic [GDW-1:0] d;
      d = '0;
      for (int unsigned i = 0; i < NS; i++) begin
        if (gtk_q[i] && grank_q[EW*i +: EW] == EW'(k)) d = d | gd_q[i];
      end
      m_in[MEW*k +: MEW] = {d, gshed_q, gfull_q,
                            gend_q && (EW'(k) + 1'b1 == gn_q || gn_q == '0)};
    end
    // (an end entry: bank 0, first 0, count 0; counted(0) says "at most E")
    if (gn_q == '0) m_in[MEW*0 + 3 +: GDW] = GDW'(counted('0));
    m_in_n = gn_q != '0 ? gn_q : EW'(gend_q);
  end
  dejfa_fifo_n #(.N(E), .DEPTH(MD), .WIDTH(MEW)) u_merged (
    .clk(clk), .rst(rst), .in_n(m_in_n), .in_data(m_in), .pop_n(m_pop), .out_data(m_out),
    .count(mcnt)
  );

  // ---- allocation (one cycle a frame at most): the merged queue's visible entries up to the
  //      first end (sources 0 .. E-1); their counts capped at E + 1 summed in a prefix
  //      saturated at E + 1 (3 levels at 100g), a source that fits goes whole, the first that
  //      does not gets the lanes left and keeps an offset. Capped and saturated at E + 1, the
  //      prefix also says whether every source before fitted (an end entry of no rules behind a
  //      range partly taken must not go). The head partly taken keeps what is left of it in registers, so the loop reads
  //      each source's capped count from its entry or those registers, never through an add.
  //      The frame ends in the cycle its end entry goes.
  logic [TAG_W-1:0] fcur_q;              // the frame allocated
  logic             adv;                 // it ends this cycle
  logic [E-1:0]     whole;               // source i goes whole
  logic [E-1:0]     part;                // source i gets the lanes left (at most one)
  logic [EW-1:0]    lanes_left [E];      // E - the lanes before source i
  logic [EW-1:0]    lanes_before [E];       // the lanes before source i (E + 1: one did not fit)
  logic             spp_q;
  logic [CC-1:0]    sprem_q;
  logic [RIW-1:0]   spnx_q;
  logic [E-1:0]     sv, last;            // the source is of the frame; it is the frame's end
  logic [CC-1:0]    rem [E];             // its rules not yet taken: count, capped, small
  logic [RIW-1:0]   nxt [E];             // its next rule
  logic [E-1:0]     sbank, sshed, sfull;
  logic [E*EW-1:0]  cap;                 // its count capped at E + 1, 0 when not a source
  always_comb begin
    logic ended;                         // an end before source k
    ended = 1'b0;
    for (int unsigned k = 0; k < E; k++) begin
      logic [MEW-1:0] h;
      h = m_out[MEW*k +: MEW];
      sv[k] = MCW'(k) < mcnt && !ended;
      last[k] = h[0];
      ended = ended || h[0];
      rem[k] = k == 0 && spp_q ? sprem_q : h[3 +: CC];
      nxt[k] = k == 0 && spp_q ? spnx_q : h[3 + CC +: RIW];
      sbank[k] = h[MEW-1];
      sshed[k] = h[2];
      sfull[k] = h[1];
      cap[EW*k +: EW] = sv[k] ? rem[k][1 +: EW] : '0;
    end
  end
  localparam int unsigned LVA = $clog2(E);
  always_comb begin
    // the inclusive prefix: incl[i] the capped counts of sources 0 .. i, saturated at E + 1
    logic [E*EW-1:0] incl, n;
    incl = cap;
    for (int unsigned l = 0; l < LVA; l++) begin
      n = incl;
      for (int unsigned i = 0; i < E; i++) begin
        if (i >= (1 << l)) n[EW*i +: EW] = SAT_E1[EW*{incl[EW*i +: EW], incl[EW*(i - (1 << l)) +: EW]} +: EW];
      end
      incl = n;
    end
    for (int unsigned i = 0; i < E; i++) begin
      logic [EW-1:0] used;               // the lanes of the sources before it
      used = i == 0 ? '0 : incl[EW*(i-1) +: EW];
      // (a count over E is capped at E + 1, and the prefix saturates there: a source fits only
      // if every source before it did)
      whole[i] = sv[i] && incl[EW*i +: EW] <= EW'(E);
      lanes_before[i] = used;
      lanes_left[i] = LEFT_T[EW*used +: EW];
      part[i] = sv[i] && !whole[i] && used < EW'(E);
    end
  end
  always_comb begin
    adv = 1'b0;
    for (int unsigned k = 0; k < E; k++) adv = adv || whole[k] && last[k];
    // (the sources taken whole are a prefix of the visible)
    m_pop = '0;
    for (int unsigned k = 0; k < E; k++) begin
      if (whole[k] && (k + 1 == E || !whole[k+1])) m_pop = m_pop | EW'(k + 1);
    end
  end
  always_ff @(posedge clk) begin
    // (at most one source is partly taken: its remainder picked by an AND-OR)
    logic [CC-1:0]  r;
    logic [RIW-1:0] x;
    logic           any;
    r = '0;
    x = '0;
    any = 1'b0;
    for (int unsigned k = 0; k < E; k++) begin
      if (part[k]) begin
        r = r | counted_less(rem[k][EW + 1 +: RCW], lanes_before[k]);
        x = x | (nxt[k] + RIW'(lanes_left[k]));
        any = 1'b1;
      end
    end
    if (any) begin
      spp_q <= 1'b1;
      sprem_q <= r;
      spnx_q <= x;
    end else if (m_pop != '0) begin
      spp_q <= 1'b0;
    end
    if (adv) fcur_q <= fcur_q + 1'b1;
    if (rst) begin
      fcur_q <= '0;
      spp_q <= 1'b0;
    end
  end

  // ---- placement: the allocation registered (stage W); each source's lanes [E - lanes_left,
  //      + used) (stage X); each lane's source picked one-hot and its rule id computed,
  //      registered at the outputs
  logic [E-1:0]     wwh_q, wpt_q;        // whole, part
  logic [E*EW-1:0]  wll_q, wrm_q;        // lanes left before it; its count (whole: at most E)
  logic [RIW-1:0]   wnx_q [E];           // its next rule
  logic [E-1:0]     wb_q;
  logic             wend_q, wshed_q, wfull_q;
  logic [TAG_W-1:0] wf_q;
  always_ff @(posedge clk) begin
    wwh_q <= whole;
    wpt_q <= part;
    for (int unsigned i = 0; i < E; i++) begin
      wll_q[EW*i +: EW] <= lanes_left[i];
      wrm_q[EW*i +: EW] <= cap[EW*i +: EW];  // (a whole source: its count)
      wnx_q[i] <= nxt[i];
    end
    wb_q <= sbank;
    wend_q <= adv;
    wshed_q <= |(whole & last & sshed);
    wfull_q <= |(whole & last & sfull);
    wf_q <= fcur_q;
    if (rst) begin
      wwh_q <= '0;
      wpt_q <= '0;
      wend_q <= 1'b0;
    end
  end
  logic [E-1:0]     xu_q;                // the source has lanes
  logic [E*EW-1:0]  xs_q, xe_q;          // its first lane, its end
  logic [RIW-1:0]   xr_q [E];            // its next rule, less its first lane
  logic [E-1:0]     xb_q;
  logic             xv_q, xend_q, xshed_q, xfull_q;
  logic [TAG_W-1:0] xf_q;
  always_ff @(posedge clk) begin
    xv_q <= 1'b1;
    for (int unsigned i = 0; i < E; i++) begin
      logic [EW-1:0] first, used;
      first = EW'(E) - wll_q[EW*i +: EW];
      used = wwh_q[i] ? wrm_q[EW*i +: EW] : wpt_q[i] ? wll_q[EW*i +: EW] : '0;
      xu_q[i] <= wwh_q[i] || wpt_q[i];
      xs_q[EW*i +: EW] <= first;
      xe_q[EW*i +: EW] <= first + used;
      xr_q[i] <= wnx_q[i] - RIW'(first);
    end
    xb_q <= wb_q;
    xend_q <= wend_q;
    xshed_q <= wshed_q;
    xfull_q <= wfull_q;
    xf_q <= wf_q;
    if (rst) begin
      xv_q <= 1'b0;
      xend_q <= 1'b0;
      xu_q <= '0;
    end
  end
  always_ff @(posedge clk) begin
    for (int unsigned j = 0; j < E; j++) begin
      logic          hit;
      logic [RIW-1:0] r;
      logic           bk;
      hit = 1'b0;
      r = '0;
      bk = 1'b0;
      for (int unsigned i = 0; i < E; i++) begin
        if (xu_q[i] && EW'(j) >= xs_q[EW*i +: EW] && EW'(j) < xe_q[EW*i +: EW]) begin
          hit = 1'b1;
          r = r | (xr_q[i] + RIW'(j));
          bk = bk | xb_q[i];
        end
      end
      m_valid[j] <= xv_q && hit;
      m_rule[RIW*j +: RIW] <= r;
      m_bank[j] <= bk;
    end
    m_end <= xv_q && xend_q;
    m_shed <= xshed_q;
    m_full <= xfull_q;
    m_frame <= xf_q;
    if (rst) begin
      m_valid <= '0;
      m_end <= 1'b0;
    end
  end

  `DEJFA_ASSERT(OneFrameAtATime_A, !(dcnt_q != '0) || dh[TAG_W-1:0] == gcur_q, clk, rst)
  `DEJFA_ASSERT(DoneFits_A, !(d_valid && dcnt_q == 4'(DD)), clk, rst)
  `DEJFA_ASSERT(ShortFits_A, scnt_q <= SCW'(SD * E), clk, rst)
  `DEJFA_ASSERT(OnePartial_A, $countones(part) <= 1, clk, rst)
  // The allocator is never ahead of the gather: a frame's end entry is gathered before it ends.
  `DEJFA_ASSERT(AllocBehindGather_A, !adv || TAG_W'(gcur_q - fcur_q) != '0, clk, rst)
  for (genvar q = 0; q < 2 * BANKS; q++) begin : g_assert
    // Copies: an unpacked array's element in an assertion is an internal error of the
    // simulator (5.006).
    logic [RDW:0]   c;
    logic [RCW-1:0] n;
    assign c = cnt_q[q];
    assign n = hq[q][EW + 1 +: RCW];
    `DEJFA_ASSERT(ParityFits_A, c <= (RDW+1)'(RD), clk, rst)
    // A range is never empty (RANGE_REC's COUNT at least 1).
    `DEJFA_ASSERT(RangeNotEmpty_A, c == '0 || n != '0, clk, rst)
  end
endmodule

`resetall
`default_nettype wire
