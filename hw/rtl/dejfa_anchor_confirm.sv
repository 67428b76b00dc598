// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_anchor_confirm: the exact confirm behind the anchor filter (issue #25; docs/HARDWARE.md
 * "Anchor confirm"; host model: the anchors of 4-8 bytes of afilt::confirm_frame, tables from
 * afilt::confirm_tables). Takes the filter's beats (data, last, bank, the marked lanes and each
 * lane's hash) and, per frame in order, its payload bounds; for every marked lane it compares
 * each anchor of the lane's hash over the whole beat and reports the anchors found with their key
 * ending in the beat, wholly inside the payload.
 *
 * Queue: QDEPTH beats (LUTRAM), each with the 7 bytes of its frame before it, its marked lanes
 * ranked (rank of a marked lane = marked lanes below it). The head beat is confirmed once its
 * frame's next beat is queued (the 4 bytes after it) or it is the last, and its frame's bounds
 * have come. A beat that finds the queue full is not queued and its frame is shed: the frame's
 * last queued beat becomes its end (m_shed), or, when none is queued, the frame is counted
 * against the queue's tail and reported as a shed end of its own after it. Nothing already
 * queued is aborted.
 *
 * Dispatch: a group a cycle of the next PIPES marked lanes of the queue over at most two beats:
 * the head's (A) from those already taken on, then, when A ends in the group, the entry after it
 * (B) on the free pipes; B leaves with the group when all its lanes fit, else it becomes the head
 * with those taken. A beat with no marked lane takes no pipe, so two of them leave in a cycle; a
 * group drains up to two beats a cycle (docs/ARCHITECTURE.md section 7, "Packing and spanning").
 *
 * Pipes, in lock step: the rank word of the hash (table word hash / 64), two popcounts to the
 * first record and the count (1 or 2), the record read, then dejfa_anchor_cmp. Second records:
 * of a group's pipes whose hash has two anchors, up to two are compared by two spare units beside
 * the pipes' first; with three or more the group holds the stages behind it one cycle while the
 * pipes read them. Tables: per bank and per two pipes a true dual-port copy of the rank table
 * (1,024 x 144 bits) and of the records (ANCHORS_N x 72 bits), and one more record copy for the
 * two spares; a write
 * (tw_*) takes port A of every copy of the bank written, which must not be a bank a group in the
 * pipes reads (asserted).
 *
 * Latency from dispatch: rank read (1), rank decode (2-3), record read (4), compare (5-7); the
 * group's results leave 8 cycles after its dispatch.
 */
module dejfa_anchor_confirm #(
  /// AXI4-Stream data width in bits (64 or 512)
  parameter int unsigned DATA_W = 64,
  /// records per bank (the map's ANCHORS_N): anchors of 4-8 bytes
  parameter int unsigned ANCHORS_N = 4096,
  /// hash pipes (even): marked lanes confirmed a cycle
  parameter int unsigned PIPES = DATA_W >= 128 ? DATA_W / 32 : 4,
  /// queued beats (a power of two)
  parameter int unsigned QDEPTH = 32,
  /// frames whose bounds may wait (a power of two)
  parameter int unsigned BDEPTH = 64,
  /// byte lanes (derived)
  localparam int unsigned W = DATA_W / 8,
  /// hash bits (derived: the map's ANCHOR_HASH_W)
  localparam int unsigned HW = dejfa_regs_pkg::ANCHOR_HASH_W,
  /// rank table words (derived)
  localparam int unsigned TAW = HW - 6,
  /// anchor id bits (derived)
  localparam int unsigned IDW = $clog2(ANCHORS_N),
  /// record bits: bytes 63:0, len 67:64, first 70:68, nocase 71 (a URAM's width: the result
  /// names the record, whose anchor the host knows, so no id is stored)
  localparam int unsigned RECW = 72,
  /// rank word bits: bits 63:0, two 127:64, base 143:128
  localparam int unsigned RKW = 144,
  /// write address bits (derived: a rank word's or a record's)
  localparam int unsigned TWA = IDW > TAW ? IDW : TAW,
  /// result slots (derived): the pipes, then two spare comparison units for second records
  localparam int unsigned NR = PIPES + 2
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous reset, active high
  input  wire logic                rst,

  /// table write: a rank word (tw_sel 0, tw_addr the table word) or a record (tw_sel 1)
  input  wire logic                tw_en,
  /// bank written (the shadow)
  input  wire logic                tw_bank,
  /// 0: rank table, 1: records
  input  wire logic                tw_sel,
  /// word or record written
  input  wire logic [TWA-1:0]      tw_addr,
  /// its bits (a record in the low RECW)
  input  wire logic [RKW-1:0]      tw_data,

  /// a beat of the filter's output
  input  wire logic                s_valid,
  /// its data, byte lane e in bits 8e+7..8e (bytes past the frame's end are never compared)
  input  wire logic [DATA_W-1:0]   s_data,
  /// last beat of its frame
  input  wire logic                s_last,
  /// bank its frame is judged with
  input  wire logic                s_bank,
  /// the lanes to confirm (the filter's m_first)
  input  wire logic [W-1:0]        s_first,
  /// each lane's hash, lane e in bits HW*e+HW-1..HW*e
  input  wire logic [W*HW-1:0]     s_hash,

  /// a frame's payload bounds, frames in the order of their beats
  input  wire logic                b_valid,
  /// payload: frame bytes [b_lo, b_hi), b_hi at most the frame's length
  input  wire logic [15:0]         b_lo,
  /// end of the payload (exclusive)
  input  wire logic [15:0]         b_hi,

  /// a group's results
  output logic                     m_valid,
  /// result slot k (a pipe, or the two spare units after them) found the anchor of record
  /// m_id[k] (its key ends in the slot's beat)
  output logic [NR-1:0]            m_found,
  /// per slot, the record compared (records are in hash order; the host maps them to anchor
  /// ids), slot k in bits IDW*k+IDW-1..IDW*k
  output logic [NR*IDW-1:0]        m_id,
  /// per slot: its result is the entry after the head's (B), not the head's (A)
  output logic [NR-1:0]            m_sel,
  /// A's last group
  output logic                     m_end,
  /// with m_end: A is its frame's last beat; also in the first cycle of a held group that ends
  /// A (m_end 0), whose results of B (m_sel) are then of the frame after A's
  output logic                     m_last,
  /// with m_last: A's frame was shed (its finds are incomplete)
  output logic                     m_shed,
  /// with m_end: the entry after A (B) ends in this group too (B's results may also come in a
  /// group that does not end it, which then makes it the head)
  output logic                     m_b,
  /// with m_b: B is its frame's last beat
  output logic                     m_b_last,
  /// with m_b_last: B's frame was shed
  output logic                     m_b_shed,
  /// the bank A's frame is judged with (s_bank of its beats), with every group
  output logic                     m_bank,
  /// the bank B's frame is judged with, with every group whose results or ends include B's
  output logic                     m_b_bank
);
  localparam int unsigned LW = $clog2(W);        // a lane's rank
  localparam int unsigned PW = $clog2(PIPES);    // a pipe
  localparam int unsigned QW = $clog2(QDEPTH);
  localparam int unsigned BW = $clog2(BDEPTH);
  localparam int unsigned NC = PIPES / 2;        // table copies per bank
  localparam int unsigned WB = W + 11;           // window bytes: 7 before, W, 4 after

  initial begin
    if (W < 8 || W > 64 || (1 << LW) != W) $fatal(1, "dejfa_anchor_confirm: DATA_W must be 64..512, a power of two (%m)");
    if (PIPES < 2 || (1 << PW) != PIPES || PIPES >= W) $fatal(1, "dejfa_anchor_confirm: PIPES must be a power of two, 2..W/2 (%m)");
    if (QDEPTH < 4 || (1 << QW) != QDEPTH) $fatal(1, "dejfa_anchor_confirm: QDEPTH must be a power of two >= 4 (%m)");
    if (BDEPTH < 2 || (1 << BW) != BDEPTH) $fatal(1, "dejfa_anchor_confirm: BDEPTH must be a power of two >= 2 (%m)");
    if (ANCHORS_N < 2 || (1 << IDW) != ANCHORS_N || IDW > 16) $fatal(1, "dejfa_anchor_confirm: ANCHORS_N must be a power of two, 2..65536 (%m)");
  end

  // ---- input: the beat registered (stage p), then again with its marked lanes counted per
  //      block of 8 lanes and each lane's count below it within its block (stage 0); the ranks
  //      are the block's base plus that count, in two levels rather than a chain of W adds
  localparam int unsigned NB = W / 8;
  logic              vp_q, lp_q, bp_q;
  logic [DATA_W-1:0] dp_q;
  logic [W-1:0]      fp_q;
  logic [W*HW-1:0]   hp_q;
  always_ff @(posedge clk) begin
    vp_q <= s_valid;
    if (s_valid) begin
      dp_q <= s_data;
      lp_q <= s_last;
      bp_q <= s_bank;
      fp_q <= s_first;
      hp_q <= s_hash;
    end
    if (rst) vp_q <= 1'b0;
  end
  logic              v0_q, l0_q, b0_q;
  logic [DATA_W-1:0] d0_q;
  logic [W-1:0]      f0_q;
  logic [W*HW-1:0]   h0_q;
  logic [NB*4-1:0]   bc0_q;  // block b: its marked lanes
  logic [W*3-1:0]    li0_q;  // lane e: marked lanes below it in its block
  always_ff @(posedge clk) begin
    v0_q <= vp_q;
    if (vp_q) begin
      d0_q <= dp_q;
      l0_q <= lp_q;
      b0_q <= bp_q;
      f0_q <= fp_q;
      h0_q <= hp_q;
      for (int unsigned b = 0; b < NB; b++) bc0_q[4*b +: 4] <= 4'($countones(fp_q[8*b +: 8]));
      for (int unsigned e = 0; e < W; e++) begin
        logic [7:0] below;
        for (int unsigned i = 0; i < 8; i++) below[i] = i < e % 8 && fp_q[8*(e/8) + i];
        li0_q[3*e +: 3] <= 3'($countones(below));
      end
    end
    if (rst) v0_q <= 1'b0;
  end
  logic [W*LW-1:0] rank0;  // lane e: marked lanes below it
  logic [LW:0]     cnt0;   // marked lanes
  always_comb begin
    logic [LW:0] base [NB + 1];  // block b: the marked lanes of the blocks below it (a sum each)
    for (int unsigned b = 0; b <= NB; b++) begin
      base[b] = '0;
      for (int unsigned k = 0; k < b; k++) base[b] = base[b] + (LW+1)'(bc0_q[4*k +: 4]);
    end
    for (int unsigned e = 0; e < W; e++) begin
      rank0[LW*e +: LW] = LW'(base[e/8]) + LW'(li0_q[3*e +: 3]);
    end
    cnt0 = base[NB];
  end

  // ---- the queue (entries written at wp, the head at rp; one more bit than the index)
  logic [DATA_W-1:0] q_data [QDEPTH];
  logic [55:0]       q_before [QDEPTH];
  logic [W-1:0]      q_first [QDEPTH];
  logic [W*HW-1:0]   q_hash [QDEPTH];
  logic [W*LW-1:0]   q_rank [QDEPTH];
  logic [LW:0]       q_cnt [QDEPTH];
  logic              q_bank [QDEPTH];
  logic [QDEPTH-1:0] q_last_q, q_shed_q;
  logic [7:0]        q_after_q [QDEPTH];  // frames shed whole after the entry
  logic [QW:0]       wp_q, rp_q;
  logic              shedding_q, queued_q;  // the input's frame: being shed; has queued beats
  logic [55:0]       tail7_q;              // the last queued beat's last 7 bytes
  logic [QW:0]       count_q;              // queued beats
  logic              pop, pop2;            // the head leaves this cycle; and the entry after it

  logic write, cut, shed_whole;
  always_comb begin
    write = 1'b0;
    cut = 1'b0;
    shed_whole = 1'b0;
    if (v0_q && !shedding_q) begin
      if (count_q != (QW+1)'(QDEPTH)) write = 1'b1;
      else if (queued_q) cut = 1'b1;         // the frame's last queued beat becomes its end
      else shed_whole = 1'b1;                // nothing of it queued: counted after the tail
    end
  end

  logic [QW-1:0] tail_q;  // the last entry written (wp_q - 1)
  logic [7:0]    after_tail;
  assign after_tail = q_after_q[tail_q];
  always_ff @(posedge clk) begin
    if (write) begin
      q_data[wp_q[QW-1:0]] <= d0_q;
      q_before[wp_q[QW-1:0]] <= queued_q ? tail7_q : 56'h0;
      q_first[wp_q[QW-1:0]] <= f0_q;
      q_hash[wp_q[QW-1:0]] <= h0_q;
      q_rank[wp_q[QW-1:0]] <= rank0;
      q_cnt[wp_q[QW-1:0]] <= cnt0;
      q_bank[wp_q[QW-1:0]] <= b0_q;
      q_after_q[wp_q[QW-1:0]] <= 8'd0;
      tail7_q <= d0_q[DATA_W-1 -: 56];
    end
    if (shed_whole) q_after_q[tail_q] <= after_tail + 8'd1;
  end
  always_ff @(posedge clk) begin
    if (write) begin
      wp_q <= wp_q + 1'b1;
      tail_q <= wp_q[QW-1:0];
    end
    // Flags in flip-flops, decoded per entry: the entry written, or the tail cut.
    for (int unsigned i = 0; i < QDEPTH; i++) begin
      if (write && wp_q[QW-1:0] == QW'(i)) begin
        q_last_q[i] <= l0_q;
        q_shed_q[i] <= 1'b0;
      end
      if (cut && tail_q == QW'(i)) begin
        q_last_q[i] <= 1'b1;
        q_shed_q[i] <= 1'b1;
      end
    end
    if (v0_q) begin
      queued_q <= l0_q ? 1'b0 : (write || queued_q) && !cut;
      shedding_q <= l0_q ? 1'b0 : shedding_q || cut || shed_whole;
    end
    rp_q <= rp_q + (QW+1)'(pop) + (QW+1)'(pop2);
    count_q <= count_q + (QW+1)'(write) - (QW+1)'(pop) - (QW+1)'(pop2);
    if (rst) begin
      wp_q <= '0;
      rp_q <= '0;
      count_q <= '0;
      queued_q <= 1'b0;
      shedding_q <= 1'b0;
    end
  end

  // ---- the bounds, in frame order
  logic [15:0]  bq_lo [BDEPTH];
  logic [15:0]  bq_hi [BDEPTH];
  logic [BW:0]  bw_q, br_q;
  logic         bpop, bpop2;
  always_ff @(posedge clk) begin
    if (b_valid) begin
      bq_lo[bw_q[BW-1:0]] <= b_lo;
      bq_hi[bw_q[BW-1:0]] <= b_hi;
      bw_q <= bw_q + 1'b1;
    end
    br_q <= br_q + (BW+1)'(bpop) + (BW+1)'(bpop2);
    if (rst) begin
      bw_q <= '0;
      br_q <= '0;
    end
  end

  // ---- the head and dispatch
  // A group's context per beat (the head beat A and the entry after it B): window, frame offset,
  // bounds and bank; and its flags: A ends, A's frame ends, A shed, B ends, B's frame ends,
  // B shed.
  localparam int unsigned CW = 8*WB + 49;
  function automatic logic [CW-1:0] ctx(input logic [8*WB-1:0] win, input logic [15:0] off,
                                        input logic [15:0] lo, input logic [15:0] hi,
                                        input logic bank);
    ctx = {bank, hi, lo, off, win};
  endfunction
  localparam int unsigned F_AEND = 0, F_ALAST = 1, F_ASHED = 2, F_B = 3, F_BLAST = 4, F_BSHED = 5;

  logic              stall;           // a group with too many 2-anchor buckets holds (below)
  logic [QW-1:0]     hp, np, np2;
  logic [LW:0]       done_q;          // the head's marked lanes already taken
  logic [15:0]       off_q;           // the head beat's frame offset
  logic [7:0]        after_q;         // shed frames still to report after the popped entry
  logic              hv, hready, bready, marker, a_fin, b_ok, b_fin;
  logic [LW:0]       rem_a, rem_b, free_a;
  logic [BW:0]       bcount;
  // The head entry and the one after it, read once (each read in the loops below would be a read
  // port of its own).
  logic [DATA_W-1:0] h_data, n_data;
  logic [31:0]       n_first4, n2_first4;
  logic [55:0]       h_before, n_before;
  logic [W-1:0]      h_first, n_first;
  logic [W*HW-1:0]   h_hash, n_hash;
  logic [W*LW-1:0]   h_rank, n_rank;
  logic [LW:0]       h_cnt, n_cnt;
  logic              h_bank, h_last, h_shed, n_bank, n_last, n_shed;
  logic [7:0]        h_after, n_after;
  assign hp = rp_q[QW-1:0];
  assign np = QW'(rp_q + 1'b1);
  assign np2 = QW'(rp_q + (QW+1)'(2));
  assign h_data = q_data[hp];
  assign h_before = q_before[hp];
  assign h_first = q_first[hp];
  assign h_hash = q_hash[hp];
  assign h_rank = q_rank[hp];
  assign h_cnt = q_cnt[hp];
  assign h_bank = q_bank[hp];
  assign h_last = q_last_q[hp];
  assign h_shed = q_shed_q[hp];
  assign h_after = q_after_q[hp];
  assign n_data = q_data[np];
  assign n_first4 = n_data[31:0];
  assign n2_first4 = q_data[np2][31:0];
  assign n_before = q_before[np];
  assign n_first = q_first[np];
  assign n_hash = q_hash[np];
  assign n_rank = q_rank[np];
  assign n_cnt = q_cnt[np];
  assign n_bank = q_bank[np];
  assign n_last = q_last_q[np];
  assign n_shed = q_shed_q[np];
  assign n_after = q_after_q[np];
  assign hv = count_q != '0;
  assign bcount = bw_q - br_q;
  assign bready = bcount != '0;
  assign hready = hv && (h_last || count_q >= (QW+1)'(2));
  assign marker = after_q != 8'd0;
  // The head's lanes still to take (none when it was shed); it ends in this group when they fit.
  assign rem_a = h_shed ? '0 : h_cnt - done_q;
  assign a_fin = rem_a <= (LW+1)'(PIPES);
  assign free_a = (LW+1)'(PIPES) - rem_a;
  // Spanning: when the head ends, the entry after it (B) fills the free pipes if it is ready as a
  // head would be (the entry after it queued, or it is its frame's last) and its bounds have come,
  // and no shed frame comes between them; it leaves with the group when all its lanes fit, else it
  // becomes the head with those taken. A group thus drains up to two beats a cycle, which a line
  // at one beat a cycle needs to win back the cycles of beats of more than PIPES marked lanes
  // (ARCHITECTURE.md section 7, "Packing and spanning").
  assign rem_b = n_shed ? '0 : n_cnt;
  assign b_ok = a_fin && h_after == 8'd0 && count_q >= (QW+1)'(2) &&
                (n_last || count_q >= (QW+1)'(3)) && (!h_last || bcount >= (BW+1)'(2));
  assign b_fin = b_ok && rem_b <= free_a;

  logic go;  // a group (or a shed frame's marker) leaves dispatch this cycle
  assign go = !stall && bready && (marker || hready);
  assign pop = go && !marker && a_fin;
  assign bpop = go && (marker || (a_fin && h_last));
  assign pop2 = pop && b_fin;
  assign bpop2 = pop2 && n_last;

  // Dispatch registers: the group's pipes and its beats.
  logic                 dv_q;
  logic [5:0]           dfl_q;
  logic [CW-1:0]        dca_q, dcb_q;
  logic [PIPES-1:0]     dpv_q, dsel_q;
  logic [PIPES*HW-1:0]  dph_q;
  always_ff @(posedge clk) begin
    if (!stall) begin
      dv_q <= go;
      if (go) begin
        logic [PIPES-1:0]    pv, sel;
        logic [PIPES*HW-1:0] ph;
        logic [15:0]         boff;
        logic [BW-1:0]       bb;
        pv = '0;
        sel = '0;
        ph = '0;
        if (!marker) begin
          // A's lane ranked done + j on pipe j; B's lane ranked j on pipe rem_a + j.
          for (int unsigned e = 0; e < W; e++) begin
            logic [LW:0] da, sb;
            da = (LW+1)'(h_rank[LW*e +: LW]) - done_q;
            sb = (LW+1)'(n_rank[LW*e +: LW]) + rem_a;
            for (int unsigned p = 0; p < PIPES; p++) begin
              if (!h_shed && h_first[e] && da == (LW+1)'(p)) begin
                pv[p] = 1'b1;
                ph[HW*p +: HW] = ph[HW*p +: HW] | h_hash[HW*e +: HW];
              end
              if (b_ok && !n_shed && n_first[e] && sb == (LW+1)'(p)) begin
                pv[p] = 1'b1;
                sel[p] = 1'b1;
                ph[HW*p +: HW] = ph[HW*p +: HW] | n_hash[HW*e +: HW];
              end
            end
          end
        end
        boff = h_last ? 16'd0 : off_q + 16'(W);
        bb = BW'(br_q) + BW'(h_last);
        dpv_q <= pv;
        dsel_q <= sel;
        dph_q <= ph;
        dfl_q[F_AEND] <= marker || a_fin;
        dfl_q[F_ALAST] <= marker || (a_fin && h_last);
        dfl_q[F_ASHED] <= marker || h_shed;
        dfl_q[F_B] <= !marker && b_fin;
        dfl_q[F_BLAST] <= !marker && b_fin && n_last;
        dfl_q[F_BSHED] <= !marker && b_fin && n_shed;
        dca_q <= ctx({(h_last ? 32'h0 : n_first4), h_data, h_before}, off_q,
                     bq_lo[br_q[BW-1:0]], bq_hi[br_q[BW-1:0]], h_bank);
        dcb_q <= ctx({(n_last ? 32'h0 : n2_first4), n_data, n_before}, boff, bq_lo[bb],
                     bq_hi[bb], n_bank);
      end
    end
    if (go) begin
      if (marker) begin
        after_q <= after_q - 8'd1;
      end else if (!a_fin) begin
        done_q <= done_q + (LW+1)'(PIPES);
      end else if (b_fin) begin
        done_q <= '0;
        off_q <= n_last ? 16'd0 : (h_last ? 16'd0 : off_q + 16'(W)) + 16'(W);
        after_q <= n_after;
      end else begin  // B, if it took pipes, is the head now with them taken
        done_q <= b_ok ? free_a : '0;
        off_q <= h_last ? 16'd0 : off_q + 16'(W);
        after_q <= h_after;
      end
    end
    if (rst) begin
      dv_q <= 1'b0;
      done_q <= '0;
      off_q <= '0;
      after_q <= '0;
    end
  end

  // Each pipe's bank: its beat's.
  function automatic logic pbank(input logic sel, input logic [CW-1:0] ca,
                                 input logic [CW-1:0] cb);
    pbank = sel ? cb[CW-1] : ca[CW-1];
  endfunction

  // ---- pipes, stage R1: the rank word read (registered in the RAM); held with the stall
  logic                 r1v_q;
  logic [5:0]           r1fl_q;
  logic [CW-1:0]        r1ca_q, r1cb_q;
  logic [PIPES-1:0]     r1pv_q, r1sel_q;
  logic [PIPES*HW-1:0]  r1ph_q;
  logic [PIPES*64-1:0]  r1below_q;  // per pipe: the bits below its hash's bit in its rank word
  logic [PIPES*TAW-1:0] rk_addr;    // the word each pipe reads: R1's again while held
  always_comb begin
    for (int unsigned p = 0; p < PIPES; p++) begin
      rk_addr[TAW*p +: TAW] = stall ? r1ph_q[HW*p + 6 +: TAW] : dph_q[HW*p + 6 +: TAW];
    end
  end

  logic [RKW-1:0] rk_rd [2][PIPES];
  for (genvar b = 0; b < 2; b++) begin : g_rk_bank
    for (genvar c = 0; c < NC; c++) begin : g_rk_copy
      logic we;
      assign we = tw_en && !tw_sel && tw_bank == 1'(b);
      dejfa_ram_2r #(.DEPTH(1 << TAW), .WIDTH(RKW)) u_rank (
        .clk(clk), .we(we),
        .addr_a(we ? tw_addr[TAW-1:0] : rk_addr[TAW*(2*c) +: TAW]), .wdata(tw_data),
        .rd_a(rk_rd[b][2*c]),
        .addr_b(rk_addr[TAW*(2*c+1) +: TAW]), .rd_b(rk_rd[b][2*c+1])
      );
    end
  end

  always_ff @(posedge clk) begin
    if (!stall) begin
      r1v_q <= dv_q;
      if (dv_q) begin
        r1fl_q <= dfl_q;
        r1ca_q <= dca_q;
        r1cb_q <= dcb_q;
        r1pv_q <= dpv_q;
        r1sel_q <= dsel_q;
        r1ph_q <= dph_q;
        for (int unsigned p = 0; p < PIPES; p++) begin
          for (int unsigned i = 0; i < 64; i++) r1below_q[64*p + i] <= 6'(i) < dph_q[HW*p +: 6];
        end
      end
    end
    if (rst) r1v_q <= 1'b0;
  end

  // ---- stage R2a: each pipe's rank word masked below its hash's bit (the mask made a stage
  //      earlier, by comparison: (1 << j) - 1 would be a 64-bit carry chain) and counted in
  //      halves of 32 bits
  logic                 r2av_q;
  logic [5:0]           r2afl_q;
  logic [CW-1:0]        r2aca_q, r2acb_q;
  logic [PIPES-1:0]     r2apv_q, r2asel_q, r2atwo_q;
  logic [PIPES*24-1:0]  r2an_q;     // per pipe: 4 counts of 6 bits (bits, two; low, high half)
  logic [PIPES*16-1:0]  r2abase_q;
  always_ff @(posedge clk) begin
    if (!stall) begin
      r2av_q <= r1v_q;
      if (r1v_q) begin
        for (int unsigned p = 0; p < PIPES; p++) begin
          logic [RKW-1:0] w;
          logic [63:0]    below;
          logic [5:0]     j;
          w = rk_rd[pbank(r1sel_q[p], r1ca_q, r1cb_q)][p];
          j = r1ph_q[HW*p +: 6];
          below = r1below_q[64*p +: 64];
          r2an_q[24*p +: 6] <= 6'($countones(w[31:0] & below[31:0]));
          r2an_q[24*p + 6 +: 6] <= 6'($countones(w[63:32] & below[63:32]));
          r2an_q[24*p + 12 +: 6] <= 6'($countones(w[95:64] & below[31:0]));
          r2an_q[24*p + 18 +: 6] <= 6'($countones(w[127:96] & below[63:32]));
          r2abase_q[16*p +: 16] <= w[143:128];
          r2apv_q[p] <= r1pv_q[p] && w[8'(j)];
          r2atwo_q[p] <= r1pv_q[p] && w[8'(j)] && w[8'(j) + 8'd64];
        end
        r2afl_q <= r1fl_q;
        r2aca_q <= r1ca_q;
        r2acb_q <= r1cb_q;
        r2asel_q <= r1sel_q;
      end
    end
    if (rst) r2av_q <= 1'b0;
  end

  // ---- stage R2: each pipe's first record (the base and both counts) and count
  logic                 r2v_q, second_q;
  logic [5:0]           r2fl_q;
  logic [CW-1:0]        r2ca_q, r2cb_q;
  logic [PIPES-1:0]     r2pv_q, r2sel_q, r2two_q;
  logic [PIPES*IDW-1:0] r2idx_q;
  logic [PW-1:0]        r2sp0_q, r2sp1_q;  // the first and second pipes with a 2-anchor bucket
  logic                 r2sp0v_q, r2sp1v_q, r2many2_q;  // they exist; a third exists
  always_ff @(posedge clk) begin
    if (!stall) begin
      r2v_q <= r2av_q;
      if (r2av_q) begin
        logic [PIPES-1:0] rest;
        logic [PW-1:0]    f0, f1;
        f0 = '0;
        f1 = '0;
        for (int p = PIPES - 1; p >= 0; p--) if (r2atwo_q[p]) f0 = PW'(p);
        rest = r2atwo_q & ~(PIPES'(1) << f0);
        for (int p = PIPES - 1; p >= 0; p--) if (rest[p]) f1 = PW'(p);
        r2sp0_q <= f0;
        r2sp1_q <= f1;
        r2sp0v_q <= r2atwo_q != '0;
        r2sp1v_q <= rest != '0;
        r2many2_q <= (rest & ~(PIPES'(1) << f1)) != '0;
        for (int unsigned p = 0; p < PIPES; p++) begin
          r2idx_q[IDW*p +: IDW] <= IDW'(r2abase_q[16*p +: 16]) + IDW'(r2an_q[24*p +: 6]) +
                                   IDW'(r2an_q[24*p + 6 +: 6]) + IDW'(r2an_q[24*p + 12 +: 6]) +
                                   IDW'(r2an_q[24*p + 18 +: 6]);
        end
        r2pv_q <= r2apv_q;
        r2sel_q <= r2asel_q;
        r2two_q <= r2atwo_q;
        r2fl_q <= r2afl_q;
        r2ca_q <= r2aca_q;
        r2cb_q <= r2acb_q;
      end
    end
    if (rst) r2v_q <= 1'b0;
  end

  // Second records: of a group's pipes whose hash has two anchors, up to two have their second
  // record compared by the spare units (r2sp0_q, r2sp1_q, chosen a stage earlier) beside the
  // pipes' first; a group with more reads its first records, then holds every stage before it one
  // cycle while the pipes read the second ones.
  logic [PW-1:0] sp0, sp1;
  logic          sp0v, sp1v;
  assign sp0 = r2sp0_q;
  assign sp1 = r2sp1_q;
  assign sp0v = r2sp0v_q && !r2many2_q;
  assign sp1v = r2sp1v_q && !r2many2_q;
  assign stall = r2v_q && r2many2_q && !second_q;
  always_ff @(posedge clk) begin
    second_q <= stall;
    if (rst) second_q <= 1'b0;
  end

  // ---- stage R3: the record reads (registered in the RAM)
  logic                 r3v_q;
  logic [5:0]           r3fl_q;
  logic [CW-1:0]        r3ca_q, r3cb_q;
  logic [PIPES-1:0]     r3pv_q, r3sel_q;
  logic [PIPES*IDW-1:0] r3idx_q;    // per pipe: the record read (the result's id)
  logic [PIPES*IDW-1:0] rc_addr;
  always_comb begin
    for (int unsigned p = 0; p < PIPES; p++) begin
      rc_addr[IDW*p +: IDW] = r2idx_q[IDW*p +: IDW] + IDW'(second_q);
    end
  end

  logic [RECW-1:0] rc_rd [2][PIPES];
  for (genvar b = 0; b < 2; b++) begin : g_rc_bank
    for (genvar c = 0; c < NC; c++) begin : g_rc_copy
      logic we;
      assign we = tw_en && tw_sel && tw_bank == 1'(b);
      dejfa_ram_2r #(.DEPTH(ANCHORS_N), .WIDTH(RECW), .STYLE("ultra")) u_rec (
        .clk(clk), .we(we),
        .addr_a(we ? tw_addr[IDW-1:0] : rc_addr[IDW*(2*c) +: IDW]), .wdata(tw_data[RECW-1:0]),
        .rd_a(rc_rd[b][2*c]),
        .addr_b(rc_addr[IDW*(2*c+1) +: IDW]), .rd_b(rc_rd[b][2*c+1])
      );
    end
  end

  // The spares' record copy, one per bank (port A spare 0 or the writes, port B spare 1).
  logic [2*IDW-1:0] sp_addr;
  logic [1:0]       sp_sel;
  assign sp_addr = {r2idx_q[IDW*sp1 +: IDW] + IDW'(1), r2idx_q[IDW*sp0 +: IDW] + IDW'(1)};
  assign sp_sel = {r2sel_q[sp1], r2sel_q[sp0]};
  logic [RECW-1:0] sp_rd [2][2];
  for (genvar b = 0; b < 2; b++) begin : g_sp_bank
    logic we;
    assign we = tw_en && tw_sel && tw_bank == 1'(b);
    dejfa_ram_2r #(.DEPTH(ANCHORS_N), .WIDTH(RECW), .STYLE("ultra")) u_rec (
      .clk(clk), .we(we),
      .addr_a(we ? tw_addr[IDW-1:0] : sp_addr[IDW-1:0]), .wdata(tw_data[RECW-1:0]),
      .rd_a(sp_rd[b][0]), .addr_b(sp_addr[IDW +: IDW]), .rd_b(sp_rd[b][1])
    );
  end

  logic [1:0]         r3spv_q, r3spsel_q;
  logic [2*IDW-1:0]   r3spidx_q;
  always_ff @(posedge clk) begin
    r3v_q <= r2v_q;
    if (r2v_q) begin
      r3spv_q <= {sp1v, sp0v} & {2{!second_q}};
      r3spsel_q <= sp_sel;
      r3spidx_q <= sp_addr;
      r3pv_q <= second_q ? r2two_q : r2pv_q;
      r3sel_q <= r2sel_q;
      r3idx_q <= rc_addr;
      // A held group's ends come with its second records; whether A is its frame's last beat
      // comes in both cycles (the results of B in the first name B's frame by it).
      r3fl_q <= stall ? (r2fl_q & ~6'((1 << F_AEND) | (1 << F_B) | (1 << F_BLAST))) : r2fl_q;
      r3ca_q <= r2ca_q;
      r3cb_q <= r2cb_q;
    end
    if (rst) r3v_q <= 1'b0;
  end

  // ---- compare: one dejfa_anchor_cmp a pipe, each with its beat's context; the group's flags
  //      beside them
  // One dejfa_anchor_cmp a result slot: slot k < PIPES is pipe k, slots PIPES and PIPES + 1 the
  // spares; each takes its record, its beat's context and its tag.
  logic [NR-1:0]        s_v, s_sel;
  logic [NR*IDW-1:0]    s_tag;
  logic [RECW-1:0]      s_rec [NR];
  always_comb begin
    for (int unsigned k = 0; k < PIPES; k++) begin
      s_v[k] = r3v_q && r3pv_q[k];
      s_sel[k] = r3sel_q[k];
      s_tag[IDW*k +: IDW] = r3idx_q[IDW*k +: IDW];
      s_rec[k] = rc_rd[r3sel_q[k] ? r3cb_q[CW-1] : r3ca_q[CW-1]][k];
    end
    for (int unsigned k = 0; k < 2; k++) begin
      s_v[PIPES+k] = r3v_q && r3spv_q[k];
      s_sel[PIPES+k] = r3spsel_q[k];
      s_tag[IDW*(PIPES+k) +: IDW] = r3spidx_q[IDW*k +: IDW];
      s_rec[PIPES+k] = sp_rd[r3spsel_q[k] ? r3cb_q[CW-1] : r3ca_q[CW-1]][k];
    end
  end
  logic [NR-1:0] cv, cf;
  for (genvar k = 0; k < NR; k++) begin : g_cmp
    logic [RECW-1:0] r;
    logic [7:0]      fold;
    logic [CW-2:0]   c;  // the context but its bank (the record was read from it)
    assign c = s_sel[k] ? r3cb_q[CW-2:0] : r3ca_q[CW-2:0];
    assign r = s_rec[k];
    always_comb begin
      for (int unsigned j = 0; j < 8; j++) begin
        fold[j] = r[71] && r[8*j +: 8] >= 8'h61 && r[8*j +: 8] <= 8'h7A;
      end
    end
    logic [W-1:0] at_unused;
    dejfa_anchor_cmp #(.DATA_W(DATA_W), .TAG_W(IDW)) u_cmp (
      .clk(clk), .rst(rst),
      .c_valid(s_v[k]), .c_win(c[8*WB-1:0]), .c_off(c[8*WB +: 16]),
      .c_lo(c[8*WB + 16 +: 16]), .c_hi(c[8*WB + 32 +: 16]), .c_bytes(r[63:0]), .c_fold(fold),
      .c_first(r[70:68]), .c_len(r[67:64]), .c_tag(s_tag[IDW*k +: IDW]),
      .m_valid(cv[k]), .m_found(cf[k]), .m_at(at_unused), .m_tag(m_id[IDW*k +: IDW])
    );
  end

  logic [2:0]         ov_q;
  logic [6*3-1:0]     ofl_q;
  logic [2*3-1:0]     obk_q;  // A's bank, B's, per stage
  logic [3*NR-1:0]    osel_q;
  always_ff @(posedge clk) begin
    ov_q <= {ov_q[1:0], r3v_q};
    ofl_q <= {ofl_q[11:0], r3fl_q};
    obk_q <= {obk_q[3:0], r3cb_q[CW-1], r3ca_q[CW-1]};
    osel_q <= {osel_q[2*NR-1:0], r3spsel_q, r3sel_q};
    if (rst) ov_q <= '0;
  end
  assign m_valid = ov_q[2];
  assign m_found = cv & cf;
  assign m_sel = osel_q[2*NR +: NR];
  assign m_end = ofl_q[12 + F_AEND];
  assign m_last = ofl_q[12 + F_ALAST];
  assign m_shed = ofl_q[12 + F_ASHED];
  assign m_b = ofl_q[12 + F_B];
  assign m_b_last = ofl_q[12 + F_BLAST];
  assign m_b_shed = ofl_q[12 + F_BSHED];
  assign m_bank = obk_q[4];
  assign m_b_bank = obk_q[5];

  // A write never lands in a bank a group in the pipes reads (the shadow bank only).
  // (B's bank is read when a pipe takes B's lanes, whether or not B ends in the group.)
  function automatic logic reads(input logic v, input logic [PIPES-1:0] sel,
                                 input logic [CW-1:0] ca, input logic [CW-1:0] cb);
    reads = v && (tw_bank == ca[CW-1] || (sel != '0 && tw_bank == cb[CW-1]));
  endfunction
  `DEJFA_ASSERT(WriteNotInReadBank_A, !(tw_en && (reads(dv_q, dsel_q, dca_q, dcb_q) ||
                reads(r1v_q, r1sel_q, r1ca_q, r1cb_q) || reads(r2av_q, r2asel_q, r2aca_q, r2acb_q) ||
                reads(r2v_q, r2sel_q, r2ca_q, r2cb_q))), clk, rst)
  // The bounds never overrun their FIFO, nor a shed count its 8 bits.
  `DEJFA_ASSERT(BoundsFit_A, !(b_valid && bcount == (BW+1)'(BDEPTH) && !bpop), clk, rst)
  `DEJFA_ASSERT(ShedCountFits_A, !(shed_whole && after_tail == 8'hFF), clk, rst)
  // The results come exactly when the pipes' flags say.
  `DEJFA_ASSERT(CmpInStep_A, (cv & ~{NR{ov_q[2]}}) == '0, clk, rst)
endmodule

`resetall
`default_nettype wire
