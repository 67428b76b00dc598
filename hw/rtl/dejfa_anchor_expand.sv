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
  /// frames the converter may run ahead of the allocator
  parameter int unsigned LEAD = 32,
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
  // E and whether it is at most E
  localparam int unsigned CC = RCW + EW + 1;             // count, capped, small
  localparam int unsigned QW = 1 + TAG_W + RIW + CC;
  localparam int unsigned SQW = $clog2(SQ);
  localparam int unsigned LW = $clog2(LEAD);
  localparam int unsigned EIW = E > 1 ? $clog2(E) : 1;   // a lane, a short sub-FIFO
  localparam int unsigned SD = 4;                        // a short sub-FIFO's entries
  localparam int unsigned NS = BANKS + E;                // allocation sources
  localparam int unsigned SEW = 1 + TAG_W + RIW + CC + 1;  // a short range: + last of its frame
  localparam int unsigned DD = 8;                        // frames done queued
  localparam int unsigned SCW = $clog2(4 * E + 1);       // the short ranges queued

  // a range's count with its count capped at E and whether it is at most E
  function automatic logic [CC-1:0] counted(input logic [RCW-1:0] n);
    counted = {n, n > RCW'(E) ? EW'(E) : EW'(n), n <= RCW'(E)};
  endfunction

  // counted(n - x) for 0 < x < E, x < n, shaped for the end of the allocation loop, where x
  // comes late: only the low bits are subtracted after x (the high part, less one or not, comes
  // from n alone, beside the loop's prefix). n - x is at most E only if n < 2 E <= 2^LB, so only
  // when the high part is 0 (and then nothing borrows).
  localparam int unsigned LB = EW + 1;  // low bits: 2^LB >= 2 E
  function automatic logic [CC-1:0] counted_less(input logic [RCW-1:0] n, input logic [EW-1:0] x);
    logic [LB:0]        lo;
    logic [RCW-LB-1:0]  hi, hi1;
    logic               borrow, le_e;
    lo = {1'b0, n[LB-1:0]} - (LB+1)'(x);
    borrow = lo[LB];
    hi = n[RCW-1:LB];
    hi1 = hi - 1'b1;
    le_e = hi == '0 && lo[LB-1:0] <= LB'(E);
    counted_less = {borrow ? hi1 : hi, lo[LB-1:0], le_e ? EW'(lo[LB-1:0]) : EW'(E), le_e};
  endfunction

  // a + b for a, b at most E, saturated at E
  function automatic logic [EW-1:0] sat(input logic [EW-1:0] a, input logic [EW-1:0] b);
    sat = (EW+1)'(a) + (EW+1)'(b) >= (EW+1)'(E) ? EW'(E) : EW'(a + b);
  endfunction
  // The same as a table of the (E + 1)^2 pairs rather than an add and a compare, so that
  // synthesis makes it LUTs, not a carry chain: a level of the allocation's prefix, inside its
  // one-cycle loop (at 100g the loop's path went from 78 cells to 63 with it; in the
  // converter's 64-entry prefix, not a loop's critical part, it would double the block's LUTs).
  function automatic logic [EW-1:0] satl(input logic [EW-1:0] a, input logic [EW-1:0] b);
    satl = EW'(E);
    for (int unsigned x = 0; x <= E; x++) begin
      for (int unsigned y = 0; x + y < E; y++) begin
        if (a == EW'(x) && b == EW'(y)) satl = EW'(x + y);
      end
    end
  endfunction

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

  // ---- the current frame (the allocator's) and the allocation's decisions (below)
  logic [TAG_W-1:0] fcur_q;
  logic             adv;                 // the current frame ends this cycle
  logic [NS-1:0]    whole;               // source i goes whole
  logic [NS-1:0]    part;                // source i gets the lanes left (at most one)
  logic [EW-1:0]    lanes_left [NS];     // E - the lanes before source i

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
    assign pop = bpop[B] && fcur_q[0] == P;
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
    if (adv) drp_q <= drp_q + 1'b1;
    dcnt_q <= dcnt_q + 4'(d_valid) - 4'(adv);
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
    c_go = TAG_W'(cfc_q - fcur_q) < TAG_W'(LEAD) && scnt_q <= SCW'(2 * E);
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
          n[EW*i +: EW] = sat(s[EW*i +: EW], s[EW*(i - (1 << l)) +: EW]);
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

  // ---- stage C2: the taken entries' ranges (a LUTRAM copy per lane), queued in E sub-FIFOs of
  //      SD (entry k of a cycle into sub-FIFO tail + k); the frame converted, and whether it
  //      was shed, when its last entries are queued
  logic [TAG_W-1:0] cfp_q;               // frames converted: all their ranges queued
  logic [LEAD-1:0]  shed_bm_q;           // per frame mod LEAD: shed here
  logic [EIW-1:0]   stl_q, shd_q;        // sub-FIFO written next; the first visible
  logic [EW-1:0]    sn_pop;              // short ranges taken whole this cycle
  logic [SEW-1:0]   se [E];              // the visible short ranges, k = 0 .. E - 1
  logic [SEW-1:0]   sub_rd [E];
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
  end
  for (genvar j = 0; j < E; j++) begin : g_ssub
    (* ram_style = "distributed" *) logic [SEW-1:0] mem [SD];
    logic [1:0]     wp_q, rp_q;
    logic [EIW-1:0] k;                   // the cycle's range this sub-FIFO takes
    logic [EIW-1:0] v;                   // its place among the visible
    assign k = EIW'(j) - stl_q;
    assign v = EIW'(j) - shd_q;
    always_ff @(posedge clk) begin
      if (c2v_q && EW'(k) < c2n_q) begin
        mem[wp_q] <= {c2b_q, c2f_q, srd[k][RCW +: RIW], counted(srd[k][RCW-1:0]),
                      c2fin_q && EW'(k) + 1'b1 == c2n_q};
        wp_q <= wp_q + 1'b1;
      end
      if (EW'(v) < sn_pop) rp_q <= rp_q + 1'b1;
      if (rst) begin
        wp_q <= '0;
        rp_q <= '0;
      end
    end
    assign sub_rd[j] = mem[rp_q];
  end
  always_comb begin
    for (int unsigned k = 0; k < E; k++) se[k] = sub_rd[EIW'(shd_q + EIW'(k))];
  end
  always_ff @(posedge clk) begin
    if (c2v_q) begin
      stl_q <= stl_q + EIW'(c2n_q);
      if (c2fin_q) begin
        cfp_q <= cfp_q + 1'b1;
        shed_bm_q[c2f_q[LW-1:0]] <= c2shed_q;
      end
    end
    shd_q <= shd_q + EIW'(sn_pop);
    scnt_q <= scnt_q + (c2v_q ? SCW'(c2n_q) : '0) - SCW'(sn_pop);
    if (rst) begin
      stl_q <= '0;
      shd_q <= '0;
      scnt_q <= '0;
      cfp_q <= '0;
    end
  end

  // ---- allocation: sources 0 .. BANKS-1 the tag banks' heads of the current frame's parity,
  //      BANKS .. BANKS+E-1 the next E short ranges. A head partly taken keeps what is left of
  //      it in registers (pp: per tag bank; spp: the first visible short range), so the loop
  //      reads each source's capped count from its entry or those registers, never through an
  //      add.
  logic [BANKS-1:0] pp_q;
  logic [CC-1:0]    prem_q [BANKS];      // what is left: count, capped, small
  logic [RIW-1:0]   pnx_q [BANKS];       // its next rule
  logic             spp_q;
  logic [CC-1:0]    sprem_q;
  logic [RIW-1:0]   spnx_q;
  logic [NS-1:0]    sv;                  // the source has a range of the current frame
  logic [CC-1:0]    rem [NS];            // its rules not yet taken: count, capped, small
  logic [RIW-1:0]   nxt [NS];            // its next rule
  logic [NS-1:0]    sbank;
  logic [NS*EW-1:0] cap;                 // its capped count, 0 when not a source this cycle
  logic             more;                // a range of the current frame stays after this cycle
  always_comb begin
    for (int unsigned b = 0; b < BANKS; b++) begin
      logic [QW-1:0] h;
      h = hq[{KW'(b), fcur_q[0]}];
      sv[b] = cnt_q[{KW'(b), fcur_q[0]}] != '0 && h[RIW + CC +: TAG_W] == fcur_q;
      rem[b] = pp_q[b] ? prem_q[b] : h[CC-1:0];
      nxt[b] = pp_q[b] ? pnx_q[b] : h[CC +: RIW];
      sbank[b] = h[QW-1];
    end
    for (int unsigned k = 0; k < E; k++) begin
      logic [SEW-1:0] h;
      h = se[k];
      sv[BANKS+k] = SCW'(k) < scnt_q && h[1 + CC + RIW +: TAG_W] == fcur_q;
      rem[BANKS+k] = k == 0 && spp_q ? sprem_q : h[1 +: CC];
      nxt[BANKS+k] = k == 0 && spp_q ? spnx_q : h[1 + CC +: RIW];
      sbank[BANKS+k] = h[SEW-1];
    end
    for (int unsigned i = 0; i < NS; i++) cap[EW*i +: EW] = sv[i] ? rem[i][1 +: EW] : '0;
  end
  // the lanes before each source: a saturating prefix of the capped counts (log depth)
  localparam int unsigned LVS = $clog2(NS);
  always_comb begin
    logic [NS*EW-1:0] s, n;
    s[EW-1:0] = '0;
    for (int unsigned i = 1; i < NS; i++) s[EW*i +: EW] = cap[EW*(i-1) +: EW];
    for (int unsigned l = 0; l < LVS; l++) begin
      n = s;
      for (int unsigned i = 0; i < NS; i++) begin
        if (i >= (1 << l)) n[EW*i +: EW] = satl(s[EW*i +: EW], s[EW*(i - (1 << l)) +: EW]);
      end
      s = n;
    end
    for (int unsigned i = 0; i < NS; i++) begin
      lanes_left[i] = EW'(E) - s[EW*i +: EW];
      whole[i] = sv[i] && rem[i][0] && cap[EW*i +: EW] <= lanes_left[i];
      part[i] = sv[i] && lanes_left[i] != '0 && !whole[i];
    end
  end
  always_comb begin
    more = 1'b0;
    for (int unsigned b = 0; b < BANKS; b++) begin
      more = more || sv[b] && (!whole[b] || nx[{KW'(b), fcur_q[0]}]);
    end
    for (int unsigned k = 0; k < E; k++) more = more || sv[BANKS+k] && !whole[BANKS+k];
    // the last visible short range of the frame, taken, but not its frame's last: more follow
    more = more || (scnt_q > SCW'(E) && sv[NS-1] && !se[E-1][0]);
    adv = dcnt_q != '0 && cfp_q != fcur_q && !more;
    // (the short ranges taken whole are a prefix of the visible: the queue is in order)
    sn_pop = '0;
    for (int unsigned k = 0; k < E; k++) begin
      if (whole[BANKS+k] && (k + 1 == E || !whole[BANKS+k+1])) sn_pop = sn_pop | EW'(k + 1);
    end
    for (int unsigned b = 0; b < BANKS; b++) bpop[b] = whole[b];
  end
  always_ff @(posedge clk) begin
    for (int unsigned b = 0; b < BANKS; b++) begin
      if (whole[b]) pp_q[b] <= 1'b0;
      if (part[b]) begin
        pp_q[b] <= 1'b1;
        prem_q[b] <= counted_less(rem[b][EW + 1 +: RCW], lanes_left[b]);
        pnx_q[b] <= nxt[b] + RIW'(lanes_left[b]);
      end
    end
    begin
      // (at most one source is partly taken: its remainder picked by an AND-OR)
      logic [CC-1:0]  r;
      logic [RIW-1:0] x;
      logic           any;
      r = '0;
      x = '0;
      any = 1'b0;
      for (int unsigned k = 0; k < E; k++) begin
        if (part[BANKS+k]) begin
          r = r | counted_less(rem[BANKS+k][EW + 1 +: RCW], lanes_left[BANKS+k]);
          x = x | (nxt[BANKS+k] + RIW'(lanes_left[BANKS+k]));
          any = 1'b1;
        end
      end
      if (any) begin
        spp_q <= 1'b1;
        sprem_q <= r;
        spnx_q <= x;
      end else if (sn_pop != '0) begin
        spp_q <= 1'b0;
      end
    end
    if (adv) fcur_q <= fcur_q + 1'b1;
    if (rst) begin
      fcur_q <= '0;
      pp_q <= '0;
      spp_q <= 1'b0;
    end
  end

  // ---- placement: the allocation registered (stage W); each source's lanes [E - lanes_left,
  //      + used) (stage X); each lane's source picked one-hot and its rule id computed,
  //      registered at the outputs
  logic [NS-1:0]    wwh_q, wpt_q;        // whole, part
  logic [NS*EW-1:0] wll_q, wrm_q;        // lanes left before it; its count capped at E
  logic [RIW-1:0]   wnx_q [NS];          // its next rule
  logic [NS-1:0]    wb_q;
  logic             wend_q, wshed_q, wfull_q;
  logic [TAG_W-1:0] wf_q;
  always_ff @(posedge clk) begin
    wwh_q <= whole;
    wpt_q <= part;
    for (int unsigned i = 0; i < NS; i++) begin
      wll_q[EW*i +: EW] <= lanes_left[i];
      wrm_q[EW*i +: EW] <= cap[EW*i +: EW];  // (a whole source: its count)
      wnx_q[i] <= nxt[i];
    end
    wb_q <= sbank;
    wend_q <= adv;
    wshed_q <= dh[TAG_W] || shed_bm_q[fcur_q[LW-1:0]];
    wfull_q <= dh[TAG_W+1] || shed_bm_q[fcur_q[LW-1:0]];
    wf_q <= fcur_q;
    if (rst) begin
      wwh_q <= '0;
      wpt_q <= '0;
      wend_q <= 1'b0;
    end
  end
  logic [NS-1:0]    xu_q;                // the source has lanes
  logic [NS*EW-1:0] xs_q, xe_q;          // its first lane, its end
  logic [RIW-1:0]   xr_q [NS];           // its next rule, less its first lane
  logic [NS-1:0]    xb_q;
  logic             xv_q, xend_q, xshed_q, xfull_q;
  logic [TAG_W-1:0] xf_q;
  always_ff @(posedge clk) begin
    xv_q <= 1'b1;
    for (int unsigned i = 0; i < NS; i++) begin
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
      for (int unsigned i = 0; i < NS; i++) begin
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

  `DEJFA_ASSERT(OneFrameAtATime_A, !(dcnt_q != '0) || dh[TAG_W-1:0] == fcur_q, clk, rst)
  `DEJFA_ASSERT(DoneFits_A, !(d_valid && dcnt_q == 4'(DD)), clk, rst)
  `DEJFA_ASSERT(ShortFits_A, scnt_q <= SCW'(4 * E), clk, rst)
  `DEJFA_ASSERT(OnePartial_A, $countones(part) <= 1, clk, rst)
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
