// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_anchor_seen: which long anchors are new in their frame (issue #25; docs/ARCHITECTURE.md
 * section 7, "Seen tags and expansion"; docs/HARDWARE.md "Seen tags"). Behind dejfa_anchor_confirm,
 * which reports an anchor of 4-8 bytes again in every beat that holds it (by its record index),
 * this block reports each record once per frame: the first time the frame finds it. Short anchors
 * have their own seen bits (dejfa_anchor_short's m_new) and do not come here.
 *
 * Tags: per record, the numbers of the two highest frames that found it (TAG_W bits and a valid
 * bit each), banked BANKS ways by the record's low bits. A found record is new when neither is its
 * frame's number; the lookup then keeps its frame among the two. Two, because a bank's lookups
 * come nearly but not quite in frame order: a held group's first cycle brings results of the beat
 * after the head (the next frame's) before the head's second records (below). Numbers wrap after
 * 2^TAG_W frames, so a scrubber takes one cycle in SCRUB of every bank to read one entry (the same
 * in each bank) and invalidate it when it is older than 2^(TAG_W-1) frames: each entry is visited
 * every SCRUB x BANK_N cycles, in which at most twice as many frames end (two a cycle), and TAG_W
 * leaves four such periods before a number comes back. After reset the tags are cleared, one entry
 * of every bank a cycle (m_clear high for BANK_N cycles); frames whose results arrive then are
 * shed.
 *
 * Per bank a FIFO of DEPTH lookups, taking up to PUSH a cycle (PUSH interleaved LUTRAM FIFOs of
 * DEPTH / PUSH entries: the i-th record of a cycle for the bank goes to sub-FIFO (tail + i) mod
 * PUSH), popped one a cycle while the bank's consumer has room (m_room), so a bank with no work
 * or a full consumer never holds another up. When a bank cannot take its records of a cycle (more
 * than PUSH, or its FIFO full), they are dropped and their frames marked shed (d_shed and d_full
 * at their end): nothing already queued is dropped.
 *
 * Lookup pipeline per bank: the FIFO's head (or the scrubber's entry) addresses the tag RAM
 * (stage 0); its word is compared and the new tag written (stage 1), the value written by the
 * previous operation forwarded when it wrote the same entry (the RAM returns the old word for a
 * read in the cycle of the write); the result is registered at the outputs (stage 2).
 *
 * Frames: numbered in the confirm's order from 0 after reset (mod 2^TAG_W). A group's results of
 * the head beat (s_sel 0) belong to the head's frame, those of the beat after it (s_sel 1) to the
 * frame after when s_last says the head is its frame's last beat. A frame is done once its end
 * has come and every bank has finished the lookups it had queued by then (positions recorded at
 * the end); done frames leave in order, one a cycle (d_*), each after every new record of its
 * frame (m_*).
 */
module dejfa_anchor_seen #(
  /// AXI4-Stream data width in bits (64 or 512): sets the defaults below
  parameter int unsigned DATA_W = 64,
  /// records per bank of the confirm (the map's ANCHORS_N)
  parameter int unsigned ANCHORS_N = 4096,
  /// the confirm's result slots (its PIPES + 2)
  parameter int unsigned SLOTS = (DATA_W >= 128 ? DATA_W / 32 : 4) + 2,
  /// tag banks (a power of two, at least 2): lookups a cycle
  parameter int unsigned BANKS = DATA_W >= 128 ? 16 : 2,
  /// records one bank's FIFO takes in a cycle (a power of two)
  parameter int unsigned PUSH = 8,
  /// lookups one bank's FIFO holds (a power of two, a multiple of PUSH)
  parameter int unsigned DEPTH = 64,
  /// cycles between two scrubber visits (a power of two, at least 2)
  parameter int unsigned SCRUB = 32,
  /// cycles that ended frames whose frames are not yet done (a power of two)
  parameter int unsigned DQ = 256,
  /// record index bits (derived)
  localparam int unsigned IDW = $clog2(ANCHORS_N),
  /// frame number bits (derived): 2^(TAG_W-1) is four scrub periods of frames
  localparam int unsigned TAG_W = $clog2(ANCHORS_N / BANKS * SCRUB) + 3
) (
  /// datapath clock
  input  wire logic                   clk,
  /// synchronous reset, active high
  input  wire logic                   rst,

  /// the confirm's group (its m_valid ... m_b_shed)
  input  wire logic                   s_valid,
  /// result slot k found the anchor of record s_id[k]
  input  wire logic [SLOTS-1:0]       s_found,
  /// per slot, its record, slot k in bits IDW*k+IDW-1..IDW*k
  input  wire logic [SLOTS*IDW-1:0]   s_id,
  /// per slot: the result is the beat after the head's
  input  wire logic [SLOTS-1:0]       s_sel,
  /// the head beat ends in this group
  input  wire logic                   s_end,
  /// the head beat is its frame's last (with s_end, and with results of the beat after it)
  input  wire logic                   s_last,
  /// with s_end and s_last: the head's frame was shed by the confirm
  input  wire logic                   s_shed,
  /// with s_end: the beat after the head ends in this group too
  input  wire logic                   s_b,
  /// with s_b: it is its frame's last
  input  wire logic                   s_b_last,
  /// with s_b_last: its frame was shed by the confirm
  input  wire logic                   s_b_shed,
  /// the confirm's m_bank: the image bank the head's frame is judged with
  input  wire logic                   s_bank,
  /// the confirm's m_b_bank: the bank of B's frame
  input  wire logic                   s_b_bank,

  /// high while the tags are cleared after reset (frames ending results then are shed)
  output logic                        m_clear,
  /// per bank: its consumer takes a result of the bank two cycles after this one; the bank
  /// starts a lookup only then (its FIFO holds the records meanwhile). The consumer must keep
  /// frames moving: fewer than 2^(TAG_W-2) frames pending, and no bank's queue moving 2^15 -
  /// DEPTH - 2 lookups past the oldest pending frame end's position (both asserted)
  input  wire logic [BANKS-1:0]       m_room,
  /// per bank: a record new in its frame (a pulse, taken: m_room was high two cycles before)
  output logic [BANKS-1:0]            m_valid,
  /// per bank, its record, bank b in bits IDW*b+IDW-1..IDW*b
  output logic [BANKS*IDW-1:0]        m_rec,
  /// per bank, its frame's number, bank b in bits TAG_W*b+TAG_W-1..TAG_W*b
  output logic [BANKS*TAG_W-1:0]      m_frame,
  /// per bank, with m_valid: the image bank the record's frame is judged with (which of the
  /// record tables the consumer reads)
  output logic [BANKS-1:0]            m_bank,

  /// a frame is done: all its new records have been reported
  output logic                        d_valid,
  /// the consumer takes a frame done: a frame is done only in a cycle with d_ready high, and
  /// reported (d_valid) the cycle after
  input  wire logic                   d_ready,
  /// its number
  output logic [TAG_W-1:0]            d_frame,
  /// its records are incomplete (shed by the confirm or here)
  output logic                        d_shed,
  /// shed here: a bank could not take its records
  output logic                        d_full
);
  localparam int unsigned KW = $clog2(BANKS);
  localparam int unsigned LAW = IDW - KW;          // a record's entry in its bank
  localparam int unsigned BANK_N = ANCHORS_N / BANKS;
  localparam int unsigned PW = $clog2(PUSH);
  localparam int unsigned SD = DEPTH / PUSH;       // a sub-FIFO's entries
  localparam int unsigned SDW = SD > 1 ? $clog2(SD) : 1;
  localparam int unsigned CW = $clog2(DEPTH + 1);  // a FIFO's count
  localparam int unsigned NW = $clog2((SLOTS > PUSH ? SLOTS : PUSH) + 1);  // a cycle's, a bank
  localparam int unsigned EW = 1 + TAG_W + LAW;    // a queued lookup: image bank, frame, entry
  localparam int unsigned SW = $clog2(SCRUB);
  localparam int unsigned DW = $clog2(DQ);
  localparam int unsigned PP = 16;                 // a bank's lookup positions (mod 2^PP)

  initial begin
    if (BANKS < 2 || (1 << KW) != BANKS || BANKS > ANCHORS_N / 2) $fatal(1, "dejfa_anchor_seen: BANKS must be a power of two, 2..ANCHORS_N/2 (%m)");
    if (ANCHORS_N < 4 || (1 << IDW) != ANCHORS_N) $fatal(1, "dejfa_anchor_seen: ANCHORS_N must be a power of two (%m)");
    if (PUSH < 2 || (1 << PW) != PUSH || DEPTH < PUSH || DEPTH % PUSH != 0 || (1 << $clog2(DEPTH)) != DEPTH) $fatal(1, "dejfa_anchor_seen: DEPTH and PUSH must be powers of two, DEPTH a multiple of PUSH (%m)");
    if (SCRUB < 2 || (1 << SW) != SCRUB) $fatal(1, "dejfa_anchor_seen: SCRUB must be a power of two >= 2 (%m)");
    if (DQ < 4 || (1 << DW) != DQ || DQ >= (1 << (TAG_W - 1))) $fatal(1, "dejfa_anchor_seen: DQ must be a power of two, 4..2^(TAG_W-1) (%m)");
  end

  // ---- state: the tags cleared after reset, then run
  typedef enum logic [0:0] {S_CLEAR, S_RUN} state_t;
  state_t         state_q, state_d;
  logic [LAW-1:0] clr_q;
  always_comb begin
    state_d = state_q;
    if (state_q == S_CLEAR && clr_q == LAW'(BANK_N - 1)) state_d = S_RUN;
  end
  always_ff @(posedge clk) begin
    state_q <= state_d;
    if (state_q == S_CLEAR) clr_q <= clr_q + 1'b1;
    if (rst) begin
      state_q <= S_CLEAR;
      clr_q <= '0;
    end
  end
  assign m_clear = state_q == S_CLEAR;
  logic run;
  assign run = state_q == S_RUN;

  // ---- stage D: duplicates dropped. The confirm reports an anchor once for each marked lane
  //      of its hash, and marks a lane again when no lane of the DEDUPE_WIN before it passed with
  //      that hash, so a beat of a pattern repeating every 9 or more bytes brings one record in
  //      up to 8 slots at 100g, and a group spanning two beats of one frame in up to 16; a long
  //      frame brings it in every group (a run of one byte, once a beat): more than a bank takes in a cycle
  //      (PUSH) or pops in a long run, so such frames were shed (session 30: 274 of the real
  //      captures' 41,090 frames with ET Open's first 1,024 rules at 100g, 8 at 10g). A tag
  //      lookup is idempotent within a frame, so a slot is dropped when a slot below it found the
  //      same record for the same frame (the head's and B's are one frame unless the head ends
  //      its frame, s_last), or when its bank's last record of the head's frame is the same: the
  //      same anchor in every beat of a long frame is then looked up once, where one lookup a
  //      beat outran the bank's pops (31 in 32 cycles: the scrubber takes one) and shed the
  //      captures' 16 KB frames at 10g. Per bank the record of the highest slot of the head's
  //      frame is kept (lst_q), and forgotten when a frame ends in the group (the head's, or B's,
  //      which ends the head's frame when the head is not its last beat).
  logic                 gv_q, gend_q, glast_q, gshed_q, gb_q, gblast_q, gbshed_q, gbank_q, gbbank_q;
  logic [SLOTS-1:0]     gfound_q, gsel_q;
  logic [SLOTS*IDW-1:0] gid_q;
  logic [BANKS-1:0]     lst_v_q;
  logic [IDW-1:0]       lst_q [BANKS];
  logic [SLOTS-1:0]     hcur;  // the slot's record is of the head's frame
  for (genvar k = 0; k < SLOTS; k++) begin : g_hcur
    assign hcur[k] = !s_sel[k] || !s_last;
  end
  always_ff @(posedge clk) begin
    gv_q <= s_valid;
    if (s_valid) begin
      for (int unsigned k = 0; k < SLOTS; k++) begin
        logic dup;
        logic [KW-1:0] bk;
        bk = s_id[IDW*k +: KW];
        dup = hcur[k] && lst_v_q[bk] && lst_q[bk] == s_id[IDW*k +: IDW];
        for (int unsigned j = 0; j < k; j++) begin
          dup = dup || (s_found[j] && s_id[IDW*j +: IDW] == s_id[IDW*k +: IDW] &&
                        (s_sel[j] == s_sel[k] || !s_last));
        end
        gfound_q[k] <= s_found[k] && !dup;
      end
      for (int unsigned b = 0; b < BANKS; b++) begin
        for (int unsigned k = 0; k < SLOTS; k++) begin
          if (s_found[k] && hcur[k] && s_id[IDW*k +: KW] == KW'(b)) begin
            lst_q[b] <= s_id[IDW*k +: IDW];
            lst_v_q[b] <= 1'b1;
          end
        end
      end
      if (s_end && (s_last || (s_b && s_b_last))) lst_v_q <= '0;
      gid_q <= s_id;
      gsel_q <= s_sel;
      gend_q <= s_end;
      glast_q <= s_last;
      gshed_q <= s_shed;
      gb_q <= s_b;
      gblast_q <= s_b_last;
      gbshed_q <= s_b_shed;
      gbank_q <= s_bank;
      gbbank_q <= s_b_bank;
    end
    if (rst) begin
      gv_q <= 1'b0;
      lst_v_q <= '0;
    end
  end

  // ---- stages H and I: the group's records sorted to their banks, each bank's in slot order,
  //      with whether each is of the beat after the head. A record's place in its bank is the
  //      bank's records in the slots below it: counted in blocks of RB slots in stage H (each
  //      block's count, each slot's count below it in its block: popcounts of at most RB bits),
  //      summed and picked by a one-hot AND-OR per place in stage I (the sums in one step, not
  //      a chain of SLOTS adds). Also the head's frame of each group (fi_q counts the frames the
  //      groups before it end).
  localparam int unsigned RB = 6;                 // slots per block of the count
  localparam int unsigned NBK = (SLOTS + RB - 1) / RB;
  localparam int unsigned BCW = $clog2(RB + 1);   // a count within a block
  localparam int unsigned IE = LAW + 1;           // a sorted record: of B, entry in its bank
  logic [TAG_W-1:0]          fi_q, hfr_q, ifr_q;  // the head's frame: next group's; H's; I's
  logic                      hv_q, hlast_q, hshed_q, hbn_q, hblast_q, hbshed_q, hbk_q, hbbk_q;
  logic [BANKS*SLOTS-1:0]    hhit_q;              // bank b, slot k: b*SLOTS + k
  logic [BANKS*SLOTS*BCW-1:0] hlc_q;              // the bank's records below the slot in its block
  logic [BANKS*NBK*BCW-1:0]  hbc_q;               // the bank's records in each block
  logic [SLOTS*IE-1:0]       hrec_q;              // per slot: of B, entry in its bank
  logic [SLOTS-1:0]          hsel_q;
  always_ff @(posedge clk) begin
    hv_q <= gv_q;
    if (gv_q) begin
      hlast_q <= gend_q && glast_q;
      hshed_q <= gend_q && glast_q && gshed_q;
      hbn_q <= glast_q;
      hblast_q <= gend_q && gb_q && gblast_q;
      hbshed_q <= gend_q && gb_q && gblast_q && gbshed_q;
      hfr_q <= fi_q;
      hbk_q <= gbank_q;
      hbbk_q <= gbbank_q;
      hsel_q <= gsel_q;
      for (int unsigned k = 0; k < SLOTS; k++) begin
        hrec_q[IE*k +: IE] <= {gsel_q[k], gid_q[IDW*k + KW +: LAW]};
      end
      for (int unsigned b = 0; b < BANKS; b++) begin
        logic [NBK*RB-1:0] hit;
        hit = '0;
        for (int unsigned k = 0; k < SLOTS; k++) hit[k] = gfound_q[k] && gid_q[IDW*k +: KW] == KW'(b);
        hhit_q[SLOTS*b +: SLOTS] <= hit[SLOTS-1:0];
        for (int unsigned m = 0; m < NBK; m++) begin
          hbc_q[BCW*(NBK*b + m) +: BCW] <= BCW'($countones(hit[RB*m +: RB]));
        end
        for (int unsigned k = 0; k < SLOTS; k++) begin
          logic [RB-1:0] below;
          for (int unsigned i = 0; i < RB; i++) below[i] = i < k % RB && hit[RB*(k/RB) + i];
          hlc_q[BCW*(SLOTS*b + k) +: BCW] <= BCW'($countones(below));
        end
      end
      fi_q <= fi_q + TAG_W'(gend_q && glast_q) + TAG_W'(gend_q && gb_q && gblast_q);
    end
    if (rst) begin
      hv_q <= 1'b0;
      fi_q <= '0;
    end
  end

  logic             iv_q, ilast_q, ished_q, iblast_q, ibshed_q, ibk_q, ibbk_q;
  logic             ibn_q;                 // B's records are of the frame after the head's
  logic [BANKS*NW-1:0]      in_q;  // bank b: its records (bits NW*b+NW-1..NW*b)
  logic [BANKS*PUSH*IE-1:0] ie_q;  // bank b: its first PUSH records
  logic [BANKS-1:0] ia_q, ibb_q;           // the bank has records of the head's; of B's
  always_ff @(posedge clk) begin
    iv_q <= hv_q;
    if (hv_q) begin
      ilast_q <= hlast_q;
      ished_q <= hshed_q;
      ibn_q <= hbn_q;
      iblast_q <= hblast_q;
      ibshed_q <= hbshed_q;
      ifr_q <= hfr_q;
      ibk_q <= hbk_q;
      ibbk_q <= hbbk_q;
      for (int unsigned b = 0; b < BANKS; b++) begin
        logic [SLOTS-1:0]   hit;
        logic [NW-1:0]      base [NBK + 1];
        logic [PUSH*IE-1:0] row;
        hit = hhit_q[SLOTS*b +: SLOTS];
        for (int unsigned m = 0; m <= NBK; m++) begin
          base[m] = '0;
          for (int unsigned i = 0; i < m; i++) begin
            base[m] = base[m] + NW'(hbc_q[BCW*(NBK*b + i) +: BCW]);
          end
        end
        row = '0;
        for (int unsigned k = 0; k < SLOTS; k++) begin
          logic [NW-1:0] place;
          place = base[k / RB] + NW'(hlc_q[BCW*(SLOTS*b + k) +: BCW]);
          for (int unsigned i = 0; i < PUSH; i++) begin
            if (hit[k] && place == NW'(i)) row[IE*i +: IE] = row[IE*i +: IE] | hrec_q[IE*k +: IE];
          end
        end
        ie_q[PUSH*IE*b +: PUSH*IE] <= row;
        in_q[NW*b +: NW] <= base[NBK];
        ia_q[b] <= (hit & ~hsel_q) != '0;
        ibb_q[b] <= (hit & hsel_q) != '0;
      end
    end
    if (rst) iv_q <= 1'b0;
  end

  // ---- the banks' FIFOs: pushed in stage I's next cycle (the third after the group's), popped
  //      by the lookups
  logic [CW-1:0]    cnt_q [BANKS];
  logic [PW-1:0]    tail_q [BANKS], head_q [BANKS];  // the sub-FIFO written next; read next
  logic [BANKS-1:0] acc, pop;
  logic [EW-1:0]    hd [BANKS];                      // each FIFO's head
  logic             scrub;                           // the scrubber's cycle
  logic [SW-1:0]    sc_q;
  logic [LAW-1:0]   sp_q;                            // the entry it visits
  assign scrub = run && sc_q == '0;
  always_comb begin
    for (int unsigned b = 0; b < BANKS; b++) begin
      acc[b] = iv_q && run && in_q[NW*b +: NW] != '0 && in_q[NW*b +: NW] <= NW'(PUSH) &&
               (CW+1)'(cnt_q[b]) + (CW+1)'(in_q[NW*b +: NW]) <= (CW+1)'(DEPTH);
      pop[b] = run && !scrub && cnt_q[b] != '0 && m_room[b];
    end
  end
  for (genvar b = 0; b < BANKS; b++) begin : g_fifo
    logic [EW-1:0] sub_rd [PUSH];
    logic [IE-1:0] row [PUSH];  // the bank's sorted records of stage I (an index into this,
                                // not into ie_q: a variable part-select of the whole vector is
                                // a shifter over every bank's records)
    for (genvar i = 0; i < PUSH; i++) begin : g_row
      assign row[i] = ie_q[PUSH*IE*b + IE*i +: IE];
    end
    for (genvar j = 0; j < PUSH; j++) begin : g_sub
      (* ram_style = "distributed" *) logic [EW-1:0] mem [SD];
      logic [SDW-1:0] wp_q, rp_q;
      logic [PW-1:0]  i;  // the cycle's record this sub-FIFO takes
      assign i = PW'(j) - tail_q[b];
      logic [IE-1:0]  r;  // it, and its frame
      logic [EW-1:0]  e;
      assign r = row[i];
      assign e = {r[LAW] ? ibbk_q : ibk_q, r[LAW] && ibn_q ? ifr_q + 1'b1 : ifr_q, r[LAW-1:0]};
      always_ff @(posedge clk) begin
        if (acc[b] && NW'(i) < in_q[NW*b +: NW]) begin
          mem[wp_q] <= e;
          wp_q <= wp_q + SDW'(SD > 1);
        end
        if (pop[b] && head_q[b] == PW'(j)) rp_q <= rp_q + SDW'(SD > 1);
        if (rst) begin
          wp_q <= '0;
          rp_q <= '0;
        end
      end
      assign sub_rd[j] = mem[rp_q];
    end
    assign hd[b] = sub_rd[head_q[b]];
    always_ff @(posedge clk) begin
      cnt_q[b] <= cnt_q[b] + (acc[b] ? CW'(in_q[NW*b +: NW]) : '0) - CW'(pop[b]);
      if (acc[b]) tail_q[b] <= tail_q[b] + PW'(in_q[NW*b +: NW]);
      if (pop[b]) head_q[b] <= head_q[b] + 1'b1;
      if (rst) begin
        cnt_q[b] <= '0;
        tail_q[b] <= '0;
        head_q[b] <= '0;
      end
    end
  end

  // ---- frames: ended (fa_q: the frames before it have ended), done (dn_q); whether the
  //      frame in progress (the head's, fa_q) and the one after it (B's, when the head is its
  //      frame's last beat: it may bring records in a held group's first cycle, before the
  //      head's end) were shed, by the confirm or here (a bank could not take their records)
  logic [TAG_W-1:0] fa_q, dn_q;
  logic [1:0]       fa_fl_q, fb_fl_q;  // shed, shed here
  logic [1:0]       fa_fl, fb_fl;      // with this cycle's
  logic             drop_a, drop_b, done;
  always_comb begin
    drop_a = 1'b0;
    drop_b = 1'b0;
    for (int unsigned b = 0; b < BANKS; b++) begin
      if (iv_q && !acc[b] && in_q[NW*b +: NW] != '0) begin
        drop_a = drop_a || ia_q[b];
        drop_b = drop_b || ibb_q[b];
      end
    end
    // B is of the frame after the head's when the head is its frame's last beat, else of the
    // head's; B's end comes only in a group that ends the head.
    fa_fl = fa_fl_q;
    fb_fl = fb_fl_q;
    if (iv_q) begin
      fa_fl = fa_fl | {drop_a || ished_q, drop_a};
      if (ibn_q) fb_fl = fb_fl | {drop_b || ibshed_q, drop_b};
      else fa_fl = fa_fl | {drop_b || ibshed_q, drop_b};
    end
  end
  always_ff @(posedge clk) begin
    if (iv_q) begin
      fa_q <= fa_q + TAG_W'(ilast_q) + TAG_W'(iblast_q);
      if (ilast_q) begin
        fa_fl_q <= iblast_q ? 2'b00 : fb_fl;
        fb_fl_q <= 2'b00;
      end else if (iblast_q) begin
        fa_fl_q <= 2'b00;
      end else begin
        fa_fl_q <= fa_fl;
        fb_fl_q <= fb_fl;
      end
    end
    dn_q <= dn_q + TAG_W'(done);
    if (rst) begin
      fa_q <= '0;
      dn_q <= '0;
      fa_fl_q <= '0;
      fb_fl_q <= '0;
    end
  end

  // ---- where a frame's lookups end: per bank, lookups queued (tp_q) and finished (cp_q), and
  //      at each cycle that ends frames a record of every bank's tp_q after its pushes (with
  //      the one or two frames' flags); the frames of a record are done once every bank has
  //      finished that many. A bank's lookups need not be in frame order (a held group's first
  //      cycle brings records of the beat after the head before the head's second records), so
  //      positions, not frame numbers, say when a frame is done. Positions are PP bits: a bank
  //      behind another by 2^(PP-1) lookups would read as ahead, which the consumer's contract
  //      rules out (m_room; asserted). When DQ records wait, the frames
  //      ending next join the last record (its positions moved on; they are reported shed here,
  //      d_shed and d_full), so a consumer that holds a bank long sheds frames, never stalls the
  //      line.
  localparam int unsigned RH = 5 + TAG_W;          // two, flags 0, flags 1, frames joined
  localparam int unsigned RW = BANKS * PP + RH;    // and each bank's position
  logic [PP-1:0]    tp_q [BANKS], cp_q [BANKS];
  logic [RW-1:0]    rec_w, rec_h, last_q, rec_put;
  logic [DW:0]      rw_q, rr_q;
  logic [TAG_W-1:0] sub_q;                         // the head record's frames already done
  logic [BANKS-1:0] lk;                            // a lookup finishes in the bank
  logic             ends, joins, pop_rec;
  logic [1:0]       d_fl;
  (* ram_style = "distributed" *) logic [RW-1:0] rec_mem [DQ];
  assign ends = iv_q && (ilast_q || iblast_q);
  assign joins = ends && rw_q == {~rr_q[DW], rr_q[DW-1:0]};
  always_comb begin
    // Two frames end when the head's and B's both end (B then of the next frame).
    rec_w = '0;
    rec_w[0] = ilast_q && iblast_q;
    rec_w[2:1] = fa_fl;
    rec_w[4:3] = fb_fl;
    for (int unsigned b = 0; b < BANKS; b++) begin
      rec_w[RH + PP*b +: PP] = tp_q[b] + (acc[b] ? PP'(in_q[NW*b +: NW]) : '0);
    end
    rec_put = rec_w;
    if (joins) begin
      rec_put = last_q;
      rec_put[5 +: TAG_W] = last_q[5 +: TAG_W] + TAG_W'(ilast_q) + TAG_W'(iblast_q);
      rec_put[RW-1:RH] = rec_w[RW-1:RH];
    end
  end
  assign rec_h = rec_mem[rr_q[DW-1:0]];
  logic [BANKS-1:0] passed;
  always_comb begin
    for (int unsigned b = 0; b < BANKS; b++) begin
      passed[b] = PP'(cp_q[b] - rec_h[RH + PP*b +: PP]) < PP'(1 << (PP - 1));
    end
    // The head record's frames: the first, the second (rec_h[0]), then those joined.
    d_fl = sub_q == '0 ? rec_h[2:1] : sub_q == TAG_W'(1) && rec_h[0] ? rec_h[4:3] : 2'b11;
  end
  assign done = rw_q != rr_q && passed == '1 && d_ready;
  assign pop_rec = done && sub_q + 1'b1 == TAG_W'(rec_h[0]) + rec_h[5 +: TAG_W] + 1'b1;
  always_ff @(posedge clk) begin
    if (ends) begin
      rec_mem[joins ? DW'(rw_q - 1'b1) : rw_q[DW-1:0]] <= rec_put;
      last_q <= rec_put;
      if (!joins) rw_q <= rw_q + 1'b1;
    end
    if (done) sub_q <= pop_rec ? '0 : sub_q + 1'b1;
    if (pop_rec) rr_q <= rr_q + 1'b1;
    for (int unsigned b = 0; b < BANKS; b++) begin
      tp_q[b] <= rec_w[RH + PP*b +: PP];
      cp_q[b] <= cp_q[b] + PP'(lk[b]);
    end
    if (rst) begin
      rw_q <= '0;
      rr_q <= '0;
      sub_q <= '0;
      for (int unsigned b = 0; b < BANKS; b++) begin
        tp_q[b] <= '0;
        cp_q[b] <= '0;
      end
    end
  end

  // ---- lookups: stage 0 addresses the tag RAM, stage 1 compares and writes, stage 2 reports.
  //      A tag word holds the two highest frames that found the record (the higher in the low
  //      half), each with a valid bit. A bank's lookups are not quite in frame order: a held
  //      group's first cycle brings results of the beat after the head (the next frame's)
  //      before the head's second records. But a lookup never comes after one of a frame two
  //      ahead of its own, so when a record comes again in frame g, at most one higher frame
  //      (g + 1) can have found it since: g is still among the two highest. (The last two
  //      written would not do: g, g - 1, g + 1, g in that order, across two held groups, would
  //      read g as new twice.)
  localparam int unsigned TW = TAG_W + 1;
  logic [BANKS-1:0] v1_q, k1_q, v2_q, w2_q, n2_q;  // k: a scrub, not a lookup; w: wrote
  logic [LAW-1:0]   a1_q [BANKS], a2_q [BANKS];
  logic [TAG_W-1:0] f1_q [BANKS], f2_q [BANKS];
  logic [BANKS-1:0] g1_q, g2_q;                     // the lookup's image bank
  logic [2*TW-1:0]  t2_q [BANKS];                   // the word written
  always_ff @(posedge clk) begin
    if (run) sc_q <= sc_q + 1'b1;
    if (scrub) sp_q <= sp_q + 1'b1;
    if (rst) begin
      sc_q <= '0;
      sp_q <= '0;
    end
  end
  // A tag 2^(TAG_W-1) frames or more behind the frames ended is stale: no lookup counts it, and
  // the scrubber clears it before its number comes back.
  // (A tag up to 4 frames ahead of the frames ended is not stale: a held group's first cycle
  // brings the next frame's records before the head's end counts.)
  function automatic logic stale(input logic [TAG_W-1:0] t, input logic [TAG_W-1:0] now);
    stale = TAG_W'(now - t) >= TAG_W'(1 << (TAG_W - 1)) && TAG_W'(t - now) > TAG_W'(4);
  endfunction
  for (genvar b = 0; b < BANKS; b++) begin : g_bank
    logic [LAW-1:0]  raddr, waddr;
    logic [2*TW-1:0] rd, cur, wdata, ins;
    logic [TW-1:0]   hi, lo;   // the higher frame's tag, the lower's
    logic            we, seen, vhi, vlo, above;
    assign raddr = scrub ? sp_q : hd[b][LAW-1:0];
    dejfa_ram_1w1r #(.DEPTH(BANK_N), .WIDTH(2 * TW)) u_tag (
      .clk(clk), .we(we), .waddr(waddr), .wdata(wdata), .raddr(raddr), .rdata(rd)
    );
    assign cur = v2_q[b] && w2_q[b] && a2_q[b] == a1_q[b] ? t2_q[b] : rd;
    assign hi = cur[TW-1:0];
    assign lo = cur[TW +: TW];
    assign vhi = hi[TAG_W] && !stale(hi[TAG_W-1:0], fa_q);
    assign vlo = lo[TAG_W] && !stale(lo[TAG_W-1:0], fa_q);
    assign seen = (vhi && hi[TAG_W-1:0] == f1_q[b]) || (vlo && lo[TAG_W-1:0] == f1_q[b]);
    // The lookup's frame above the higher tag (or no higher tag): it becomes the higher.
    assign above = !vhi || TAG_W'(f1_q[b] - hi[TAG_W-1:0]) < TAG_W'(1 << (TAG_W - 1));
    assign ins = above ? {vhi ? hi : TW'(0), 1'b1, f1_q[b]} : {1'b1, f1_q[b], hi};
    always_comb begin
      we = 1'b0;
      waddr = a1_q[b];
      wdata = seen ? cur : ins;
      if (!run) begin
        we = 1'b1;
        waddr = clr_q;
        wdata = '0;
      end else if (v1_q[b] && !k1_q[b]) begin
        we = 1'b1;
      end else if (v1_q[b] && (hi[TAG_W] && !vhi || lo[TAG_W] && !vlo)) begin
        we = 1'b1;
        wdata = {vlo ? lo : TW'(0), vhi ? hi : TW'(0)};
      end
    end
    assign lk[b] = v1_q[b] && !k1_q[b];
    always_ff @(posedge clk) begin
      v1_q[b] <= pop[b] || scrub;
      k1_q[b] <= scrub;
      a1_q[b] <= raddr;
      if (pop[b]) f1_q[b] <= hd[b][LAW +: TAG_W];
      if (pop[b]) g1_q[b] <= hd[b][EW-1];
      v2_q[b] <= v1_q[b];
      w2_q[b] <= v1_q[b] && we;
      n2_q[b] <= lk[b] && !seen;
      a2_q[b] <= a1_q[b];
      f2_q[b] <= f1_q[b];
      g2_q[b] <= g1_q[b];
      t2_q[b] <= wdata;
      if (rst) begin
        v1_q[b] <= 1'b0;
        v2_q[b] <= 1'b0;
        n2_q[b] <= 1'b0;
      end
    end
    assign m_valid[b] = n2_q[b];
    assign m_rec[IDW*b +: IDW] = {a2_q[b], KW'(b)};
    assign m_frame[TAG_W*b +: TAG_W] = f2_q[b];
    assign m_bank[b] = g2_q[b];
  end

  // ---- done: one frame a cycle, after its records (stage 2)
  always_ff @(posedge clk) begin
    d_valid <= done;
    d_frame <= dn_q;
    {d_shed, d_full} <= d_fl;
    if (rst) d_valid <= 1'b0;
  end

  `DEJFA_ASSERT(StateLegal_A, state_q == S_CLEAR || state_q == S_RUN, clk, rst)
  // Frames pending are far fewer than the numbers; a frame is done only when it has ended.
  `DEJFA_ASSERT(PendingFits_A, TAG_W'(fa_q - dn_q) < TAG_W'(1 << (TAG_W - 2)), clk, rst)
  `DEJFA_ASSERT(DoneEnded_A, !done || dn_q != fa_q, clk, rst)
  for (genvar b = 0; b < BANKS; b++) begin : g_assert
    // Copies: an unpacked array's element in an assertion is an internal error of the
    // simulator (5.006).
    logic [CW-1:0] cnt;
    logic [PP-1:0] ahead;  // lookups queued, not finished
    assign cnt = cnt_q[b];
    assign ahead = tp_q[b] - cp_q[b];
    `DEJFA_ASSERT(FifoFits_A, cnt <= CW'(DEPTH), clk, rst)
    `DEJFA_ASSERT(PositionsInStep_A, ahead <= PP'(DEPTH + 1), clk, rst)
    // The consumer's contract, as what it protects: the oldest pending frame end's position is
    // within half the positions' range of the bank's queue (so `passed` compares unambiguously).
    logic [PP-1:0] past;
    assign past = tp_q[b] - rec_h[RH + PP*b +: PP];
    `DEJFA_ASSERT(PositionsClose_A, rw_q == rr_q || past < PP'((1 << (PP - 1)) - DEPTH - 2),
                  clk, rst)
  end
endmodule

`resetall
`default_nettype wire
