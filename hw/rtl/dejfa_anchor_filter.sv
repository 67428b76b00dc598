// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_anchor_filter: the filter in front of the anchor confirm (issue #25; docs/ARCHITECTURE.md
 * section 7, "The confirm behind the filter"; host model dejfa::afilt::beats_of). Taps the input
 * stream (never back-pressures). Every byte lane of a beat takes the 4 bytes of the frame ending
 * there (the previous beat's last three carried; none for lanes 0-2 of a frame's first beat or
 * past its end), folds ASCII letters to lower case, hashes them with H3 (dejfa_regs_pkg::H3_MASKS)
 * and reads one bit of its bank's 2^HW-bit table: the lane passes when the bit is set. Of the
 * passing lanes, each is marked (m_first) unless one of the DEDUPE_WIN lanes before it passed with
 * the same hash: the confirm compares every anchor of a marked hash over the whole beat, so a
 * repeat needs no confirm of its own, and the first lane of each hash is always marked (a repeat
 * left unmarked beyond the window is only a redundant confirm; docs/HARDWARE.md "Anchor filter").
 *
 * Tables: per bank, DATA_W / 16 copies of the table as 64-bit words in true dual-port RAM, each
 * copy read by two lanes (ports A and B). A write (tw_*) goes through port A of every copy of
 * the bank written, which must not be the bank being read (the shadow bank: the core writes
 * only there; asserted), so a write never takes a lookup's cycle.
 *
 * Pipeline: input register (stage 0); keys and hashes (1); table read (2); pass and first (3),
 * registered at the outputs: a beat leaves four cycles after it enters. Stages 1 and 3 change
 * only in cycles with a beat, so an idle filter evaluates no hash and no comparator.
 */
module dejfa_anchor_filter #(
  /// AXI4-Stream data width in bits (64 or 512)
  parameter int unsigned DATA_W = 64,
  /// a passing lane is a repeat when one of the DEDUPE_WIN lanes before it passed with its hash
  /// (the host model's afilt::kDedupeWin; every lane of a 10g beat)
  parameter int unsigned DEDUPE_WIN = 8,
  /// byte lanes (derived)
  localparam int unsigned W = DATA_W / 8,
  /// hash bits (derived: the map's ANCHOR_HASH_W)
  localparam int unsigned HW = dejfa_regs_pkg::ANCHOR_HASH_W,
  /// table word address width (derived: 64-bit words)
  localparam int unsigned TAW = HW - 6
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous reset, active high
  input  wire logic                rst,

  /// table write: one 64-bit word (bit h of the table is bit h % 64 of word h / 64)
  input  wire logic                tw_en,
  /// bank written (the shadow)
  input  wire logic                tw_bank,
  /// word written
  input  wire logic [TAW-1:0]      tw_addr,
  /// its bits
  input  wire logic [63:0]         tw_data,

  /// observed beat valid (a beat the stream transfers)
  input  wire logic                s_valid,
  /// its data, byte lane e in bits 8e+7..8e
  input  wire logic [DATA_W-1:0]   s_data,
  /// its byte enables (packed from lane 0)
  input  wire logic [W-1:0]        s_keep,
  /// last beat of its frame
  input  wire logic                s_last,
  /// bank its frame is judged with (constant over the frame's beats)
  input  wire logic                s_bank,

  /// the beat, four cycles later
  output logic                     m_valid,
  /// its data
  output logic [DATA_W-1:0]        m_data,
  /// its byte enables
  output logic [W-1:0]             m_keep,
  /// last beat of its frame
  output logic                     m_last,
  /// its bank
  output logic                     m_bank,
  /// lanes with a key whose bit is set
  output logic [W-1:0]             m_pass,
  /// of those, the lanes to confirm: no lane within DEDUPE_WIN before them passed with their hash
  output logic [W-1:0]             m_first,
  /// each lane's hash (lanes with a key), lane e in bits HW*e+HW-1..HW*e
  output logic [W*HW-1:0]          m_hash
);
  initial begin
    if (DATA_W % 16 != 0 || W < 4 || W > 64) $fatal(1, "dejfa_anchor_filter: DATA_W must be 32..512, a multiple of 16 (%m)");
    if (HW < 7) $fatal(1, "dejfa_anchor_filter: ANCHOR_HASH_W must be at least 7 (%m)");
  end

  localparam logic [32*HW-1:0] MASKS = dejfa_regs_pkg::H3_MASKS;

  function automatic logic [7:0] fold(input logic [7:0] c);
    fold = (c >= 8'h41 && c <= 8'h5A) ? c + 8'h20 : c;
  endfunction

  // ---- stage 0: the beat, and the previous beat's last three bytes of the same frame
  logic              v0_q, l0_q, b0_q, sof0_q, in_frame_q;
  logic [DATA_W-1:0] d0_q;
  logic [W-1:0]      k0_q;
  logic [23:0]       carry_q;
  always_ff @(posedge clk) begin
    v0_q <= s_valid;
    if (s_valid) begin
      d0_q <= s_data;
      k0_q <= s_keep;
      l0_q <= s_last;
      b0_q <= s_bank;
      sof0_q <= !in_frame_q;
      in_frame_q <= !s_last;
      carry_q <= d0_q[DATA_W-1 -: 24];  // the previous beat's (ignored at a frame's start)
    end
    if (rst) begin
      v0_q <= 1'b0;
      in_frame_q <= 1'b0;
    end
  end

  // ---- stage 1: keys and hashes
  logic              v1_q, l1_q, b1_q;
  logic [DATA_W-1:0] d1_q;
  logic [W-1:0]      k1_q, keyed1_q;
  logic [W*HW-1:0]   h1_q;  // lane e in bits HW*e+HW-1..HW*e
  always_ff @(posedge clk) begin
    v1_q <= v0_q;
    if (v0_q) begin
      logic [DATA_W+23:0] ext;  // carry then the beat, byte j of ext ends lane j - 3
      ext = {d0_q, carry_q};
      for (int unsigned e = 0; e < W; e++) begin
        logic [31:0] key;
        logic [HW-1:0] h;
        for (int unsigned k = 0; k < 4; k++) key[8*k +: 8] = fold(ext[8*(e+k) +: 8]);
        for (int unsigned i = 0; i < HW; i++) h[i] = ^(key & MASKS[32*i +: 32]);
        h1_q[HW*e +: HW] <= h;
        keyed1_q[e] <= k0_q[e] && (e >= 3 || !sof0_q);
      end
      d1_q <= d0_q;
      k1_q <= k0_q;
      l1_q <= l0_q;
      b1_q <= b0_q;
    end
    if (rst) v1_q <= 1'b0;
  end

  // ---- stage 2: the tables, two lanes a copy, one RAM per bank
  localparam int unsigned NC = W / 2;
  logic [63:0] rd_a [2][NC];
  logic [63:0] rd_b [2][NC];
  for (genvar b = 0; b < 2; b++) begin : g_bank
    for (genvar c = 0; c < NC; c++) begin : g_copy
      logic we;
      assign we = tw_en && tw_bank == 1'(b);
      dejfa_ram_2r #(.DEPTH(1 << TAW), .WIDTH(64)) u_tbl (
        .clk(clk), .we(we), .addr_a(we ? tw_addr : h1_q[HW*(2*c)+6 +: TAW]), .wdata(tw_data),
        .rd_a(rd_a[b][c]), .addr_b(h1_q[HW*(2*c+1)+6 +: TAW]), .rd_b(rd_b[b][c])
      );
    end
  end

  logic              v2_q, l2_q, b2_q;
  logic [DATA_W-1:0] d2_q;
  logic [W-1:0]      k2_q, keyed2_q;
  logic [W*HW-1:0]   h2_q;
  always_ff @(posedge clk) begin
    v2_q <= v1_q;
    if (v1_q) begin
      d2_q <= d1_q;
      k2_q <= k1_q;
      l2_q <= l1_q;
      b2_q <= b1_q;
      keyed2_q <= keyed1_q;
      h2_q <= h1_q;
    end
    if (rst) v2_q <= 1'b0;
  end

  logic [W-1:0] pass2;
  always_comb begin
    for (int unsigned c = 0; c < NC; c++) begin
      pass2[2*c] = keyed2_q[2*c] && rd_a[b2_q][c][h2_q[HW*(2*c) +: 6]];
      pass2[2*c+1] = keyed2_q[2*c+1] && rd_b[b2_q][c][h2_q[HW*(2*c+1) +: 6]];
    end
  end

  // ---- stage 3: the passing lanes without a repeat of their hash within DEDUPE_WIN before them
  logic              v3_q, l3_q, b3_q;
  logic [DATA_W-1:0] d3_q;
  logic [W-1:0]      k3_q, pass3_q, first3_q;
  logic [W*HW-1:0]   h3_q;
  always_ff @(posedge clk) begin
    v3_q <= v2_q;
    if (v2_q) begin
      for (int unsigned e = 0; e < W; e++) begin
        logic dup;
        dup = 1'b0;
        for (int unsigned j = (e > DEDUPE_WIN ? e - DEDUPE_WIN : 0); j < e; j++) begin
          dup |= pass2[j] && h2_q[HW*j +: HW] == h2_q[HW*e +: HW];
        end
        first3_q[e] <= pass2[e] && !dup;
      end
      pass3_q <= pass2;
      d3_q <= d2_q;
      k3_q <= k2_q;
      l3_q <= l2_q;
      b3_q <= b2_q;
      h3_q <= h2_q;
    end
    if (rst) v3_q <= 1'b0;
  end

  assign m_valid = v3_q;
  assign m_data = d3_q;
  assign m_keep = k3_q;
  assign m_last = l3_q;
  assign m_bank = b3_q;
  assign m_pass = pass3_q;
  assign m_first = first3_q;
  assign m_hash = h3_q;

  // A write never lands in the bank a beat in the read stage reads (the shadow bank only).
  `DEJFA_ASSERT(WriteNotInReadBank_A, !(tw_en && v1_q && tw_bank == b1_q), clk, rst)
  // Keys are taken only for present bytes: the keep of every beat but a frame's last is full.
  `DEJFA_ASSERT(FullBeatsBeforeLast_A, !(s_valid && !s_last && s_keep != '1), clk, rst)
endmodule

`resetall
`default_nettype wire
