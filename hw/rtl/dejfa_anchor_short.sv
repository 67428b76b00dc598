// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_anchor_short: the anchors of 1-3 bytes (issue #25; docs/ARCHITECTURE.md section 7, "The
 * confirm behind the filter"; host model: the short anchors of dejfa::afilt::confirm_frame).
 * They bypass the hash filter: at every byte lane, every short anchor is compared with the bytes
 * ending there (the previous beat's last two carried), letters without their case for nocase ones,
 * and counts only wholly inside the frame's payload [s_lo, s_hi). Per beat the block reports
 * which short anchors end in it (m_found, bit k: table entry k). Exact, with no queue: a
 * literal of 1-3 bytes can occur at every position of every beat.
 *
 * Table: SHORT_N entries per bank in registers, each {valid, len, used, fold, bytes}, the anchor
 * right-aligned so that every entry compares with the same 3 bytes of a lane; a nocase letter is
 * compared without its case bit (bit 5) instead of through a folded copy of the beat, which
 * makes one 3-byte compare per entry and lane; written one entry a cycle (sw_*) into the bank not
 * being read (the shadow: asserted).
 *
 * Pipeline: input register (stage 0); folded bytes and each lane's payload bounds (1); the
 * compare matrix, OR-ed over the lanes (2), registered at the outputs: a beat's result leaves
 * three cycles after it enters. Stages 0, 1 and the outputs change only in cycles with a beat.
 */
module dejfa_anchor_short #(
  /// AXI4-Stream data width in bits (64 or 512)
  parameter int unsigned DATA_W = 64,
  /// short anchors per bank
  parameter int unsigned SHORT_N = 64,
  /// byte lanes (derived)
  localparam int unsigned W = DATA_W / 8,
  /// entry index width (derived)
  localparam int unsigned SW = $clog2(SHORT_N),
  /// entry width (derived): {valid, len[1:0], used[2:0], fold[2:0], bytes[23:0]}
  localparam int unsigned EW = 33
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous reset, active high
  input  wire logic                rst,

  /// table write: one entry
  input  wire logic                sw_en,
  /// bank written (the shadow)
  input  wire logic                sw_bank,
  /// entry written
  input  wire logic [SW-1:0]       sw_idx,
  /// the entry: {valid, len[1:0], used[2:0], fold[2:0], bytes[23:0]}, the anchor right-aligned
  /// (its last byte in bits 23:16); used: the bytes it has; fold: the bytes compared without
  /// bit 5 (letters of a nocase anchor, stored lower case); unused bytes zero
  input  wire logic [EW-1:0]       sw_data,

  /// observed beat valid
  input  wire logic                s_valid,
  /// its data, byte lane e in bits 8e+7..8e
  input  wire logic [DATA_W-1:0]   s_data,
  /// last beat of its frame
  input  wire logic                s_last,
  /// bank its frame is judged with (constant over the frame's beats)
  input  wire logic                s_bank,
  /// the frame's payload: frame bytes [s_lo, s_hi) (constant over the frame's beats)
  input  wire logic [15:0]         s_lo,
  /// end of the payload (exclusive)
  input  wire logic [15:0]         s_hi,

  /// the beat's result, three cycles later
  output logic                     m_valid,
  /// last beat of its frame
  output logic                     m_last,
  /// the short anchors ending in the beat, wholly inside the payload (bit k: entry k)
  output logic [SHORT_N-1:0]       m_found
);
  initial begin
    if (W < 2 || W > 64 || DATA_W % 8 != 0) $fatal(1, "dejfa_anchor_short: DATA_W must be 16..512 (%m)");
    if (SHORT_N < 2 || (1 << SW) != SHORT_N) $fatal(1, "dejfa_anchor_short: SHORT_N must be a power of two >= 2 (%m)");
  end

  // ---- the tables
  logic [EW-1:0] tbl_q [2][SHORT_N];
  always_ff @(posedge clk) begin
    if (sw_en) tbl_q[sw_bank][sw_idx] <= sw_data;
  end

  // ---- stage 0: the beat, its first byte's offset in the frame, the previous beat's last two
  logic              v0_q, l0_q, b0_q, in_frame_q;
  logic [DATA_W-1:0] d0_q;
  logic [15:0]       lo0_q, hi0_q, off0_q, next_off_q;
  logic [15:0]       carry_q;
  always_ff @(posedge clk) begin
    v0_q <= s_valid;
    if (s_valid) begin
      carry_q <= in_frame_q ? d0_q[DATA_W-1 -: 16] : 16'h0;
      d0_q <= s_data;
      l0_q <= s_last;
      b0_q <= s_bank;
      lo0_q <= s_lo;
      hi0_q <= s_hi;
      off0_q <= in_frame_q ? next_off_q : 16'd0;
      next_off_q <= (in_frame_q ? next_off_q : 16'd0) + 16'(W);
      in_frame_q <= !s_last;
    end
    if (rst) begin
      v0_q <= 1'b0;
      in_frame_q <= 1'b0;
    end
  end

  // ---- stage 1: folded and raw bytes (the carry first), and per lane which lengths end there
  //      wholly inside the payload
  localparam int unsigned XB = W + 2;
  logic              v1_q, l1_q, b1_q;
  logic [8*XB-1:0]   raw1_q;
  logic [W-1:0]      ok1_q [3];  // ok1_q[n - 1][e]: an n-byte anchor ending at lane e fits
  always_ff @(posedge clk) begin
    v1_q <= v0_q;
    if (v0_q) begin
      logic [8*XB-1:0] x;
      x = {d0_q, carry_q};
      raw1_q <= x;
      for (int unsigned n = 1; n <= 3; n++) begin
        for (int unsigned e = 0; e < W; e++) begin
          logic [16:0] start, stop;  // the anchor's first byte and one past its last
          stop = {1'b0, off0_q} + 17'(e) + 17'd1;
          start = stop - 17'(n);
          ok1_q[n-1][e] <= stop >= 17'(n) && start >= {1'b0, lo0_q} && stop <= {1'b0, hi0_q};
        end
      end
      l1_q <= l0_q;
      b1_q <= b0_q;
    end
    if (rst) v1_q <= 1'b0;
  end

  // ---- stage 2: every entry at every lane (generated: one compare per entry and lane)
  logic [SHORT_N-1:0] hit2;
  for (genvar k = 0; k < SHORT_N; k++) begin : g_entry
    logic [EW-1:0] t;
    assign t = tbl_q[b1_q][k];
    logic [W-1:0] at;
    logic [1:0] n;
    logic [2:0] used, fld;
    assign n = t[31:30];
    assign used = t[29:27];
    assign fld = t[26:24];
    for (genvar e = 0; e < W; e++) begin : g_lane
      // The 3 bytes ending at lane e (ext bytes e .. e + 2) against the right-aligned entry.
      logic [2:0] eq;
      for (genvar i = 0; i < 3; i++) begin : g_byte
        assign eq[i] = !used[i] ||
                       ((raw1_q[8*(e+i) +: 8] ^ t[8*i +: 8]) & {2'b11, !fld[i], 5'b11111}) == 8'h00;
      end
      assign at[e] = t[32] && &eq && n != 2'd0 && ok1_q[n-1][e];
    end
    assign hit2[k] = |at;
  end

  logic               v2_q, l2_q;
  logic [SHORT_N-1:0] found2_q;
  always_ff @(posedge clk) begin
    v2_q <= v1_q;
    if (v1_q) begin
      found2_q <= hit2;
      l2_q <= l1_q;
    end
    if (rst) v2_q <= 1'b0;
  end

  assign m_valid = v2_q;
  assign m_last = l2_q;
  assign m_found = found2_q;

  // A write never lands in the bank a beat in the compare stage reads (the shadow bank only).
  `DEJFA_ASSERT(WriteNotInReadBank_A, !(sw_en && v1_q && sw_bank == b1_q), clk, rst)
endmodule

`resetall
`default_nettype wire
