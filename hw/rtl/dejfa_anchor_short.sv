// SPDX-License-Identifier: Apache-2.0
`resetall
`timescale 1ns / 1ps
`default_nettype none

`include "dejfa_assert.svh"

/*
 * dejfa_anchor_short: the anchors of 1-3 bytes (issue #25; docs/ARCHITECTURE.md section 7, "The
 * confirm behind the filter"; docs/HARDWARE.md "Short anchors"; host model: the short anchors of
 * dejfa::afilt::confirm_frame, tables from dejfa::afilt::short_rows). They bypass the hash
 * filter: at every byte lane, every short anchor is tested against the bytes ending there (the
 * previous beat's last two carried) and counts only wholly inside the frame's payload [s_lo,
 * s_hi). Per beat the block reports which short anchors end in it (m_found, bit k: entry k), and
 * which of those its frame finds for the first time (m_new: a seen bit per entry and frame,
 * cleared after the frame's last beat), so that only a short anchor new in its frame expands into
 * its rules and none takes a lookup in the long anchors' seen tags (docs/ARCHITECTURE.md section
 * 7, "Seen tags and expansion").
 * Exact, with no queue: a literal of 1-3 bytes can occur at every position of every beat.
 *
 * Byte-class tables, as Hyperscan's Teddy but with whole bytes, so exact: the anchors are
 * right-aligned on 3 byte positions, and for each position p a table of 256 rows of SHORT_N bits
 * says which entries accept byte b there (row b, bit k: entry k has b at p, either case of a
 * nocase letter, or is too short to use p). A lane reads one row of each table with its 3 bytes
 * and ANDs them; the entry's length (3 rows of SHORT_N bits) picks which payload bound applies.
 * An entry in no length row is empty. The comparison is between a constant and a table read, so
 * the area is the tables' read ports (block RAM) and one AND/OR per entry and lane, not a
 * comparator per entry and lane (the first form: 16,194 LUT at 10g).
 *
 * Writes (tw_*): one row a cycle, into the bank not being read (the shadow: asserted); tw_sel
 * 0-2 the byte tables (position 0 first, position 2 the anchors' last byte), 3 the length rows
 * (tw_row n - 1: the entries of n bytes). A bank is 3 x 256 + 3 writes.
 *
 * Pipeline: input register (stage 0); the 2 + W bytes and each lane's payload bounds per length
 * (1); the table reads, registered (2); the AND over positions and lengths, OR over lanes,
 * registered at the outputs (3): a beat's result leaves four cycles after it enters. Every stage
 * changes only in cycles with a beat, so an idle line costs the model nothing.
 */
module dejfa_anchor_short #(
  /// AXI4-Stream data width in bits (64 or 512)
  parameter int unsigned DATA_W = 64,
  /// short anchors per bank (derived: the map's ANCHOR_SHORT_N)
  localparam int unsigned SHORT_N = dejfa_regs_pkg::ANCHOR_SHORT_N,
  /// byte lanes (derived)
  localparam int unsigned W = DATA_W / 8
) (
  /// datapath clock
  input  wire logic                clk,
  /// synchronous reset, active high
  input  wire logic                rst,

  /// table write: one row
  input  wire logic                tw_en,
  /// bank written (the shadow)
  input  wire logic                tw_bank,
  /// table: 0-2 byte position (2: the anchors' last byte), 3 the length rows
  input  wire logic [1:0]          tw_sel,
  /// row: the byte (tables 0-2), the length - 1 (table 3: rows 0-2)
  input  wire logic [7:0]          tw_row,
  /// the row, bit k for entry k
  input  wire logic [SHORT_N-1:0]  tw_data,

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

  /// the beat's result, four cycles later
  output logic                     m_valid,
  /// last beat of its frame
  output logic                     m_last,
  /// the bank its frame is judged with (the beat's s_bank; the expansion reads the short
  /// anchors' rule ranges from it)
  output logic                     m_bank,
  /// the short anchors ending in the beat, wholly inside the payload (bit k: entry k)
  output logic [SHORT_N-1:0]       m_found,
  /// of those, the ones no earlier beat of the frame found
  output logic [SHORT_N-1:0]       m_new
);
  initial begin
    if (W < 2 || W > 64 || DATA_W % 8 != 0) $fatal(1, "dejfa_anchor_short: DATA_W must be 16..512 (%m)");
    if (SHORT_N < 1) $fatal(1, "dejfa_anchor_short: ANCHOR_SHORT_N must be at least 1 (%m)");
  end

  // ---- the length rows, in registers (the byte tables are read per lane: stage 2)
  logic [SHORT_N-1:0] len_q [2][3];
  always_ff @(posedge clk) begin
    if (tw_en && tw_sel == 2'd3 && tw_row < 8'd3) len_q[tw_bank][tw_row[1:0]] <= tw_data;
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

  // ---- stage 1: the bytes (the carry first) and per lane which lengths end there wholly inside
  //      the payload
  localparam int unsigned XB = W + 2;
  logic              v1_q, l1_q, b1_q;
  logic [8*XB-1:0]   x1_q;
  logic [3*W-1:0]    ok1_q;  // bit W*(n-1) + e: an n-byte anchor ending at lane e fits
  always_ff @(posedge clk) begin
    v1_q <= v0_q;
    if (v0_q) begin
      x1_q <= {d0_q, carry_q};
      for (int unsigned n = 1; n <= 3; n++) begin
        for (int unsigned e = 0; e < W; e++) begin
          logic [16:0] start, stop;  // the anchor's first byte and one past its last
          stop = {1'b0, off0_q} + 17'(e) + 17'd1;
          start = stop - 17'(n);
          ok1_q[W*(n-1) + e] <= stop >= 17'(n) && start >= {1'b0, lo0_q} && stop <= {1'b0, hi0_q};
        end
      end
      l1_q <= l0_q;
      b1_q <= b0_q;
    end
    if (rst) v1_q <= 1'b0;
  end

  // ---- stage 2: each lane reads a row of each table with its 3 bytes (lane e: bytes e, e + 1,
  //      e + 2 of the extended beat, the last its own). A table is simple dual-port block RAM,
  //      both banks in one (the bank the address's top bit), a copy per lane: one write port
  //      shared by the copies and one read port each, so a write into the shadow never takes a
  //      read port from a beat (one memory with W read ports is the same RAM, but Yosys' memory
  //      mapping ran out of 24 GB on it at 100g).
  logic                         v2_q, l2_q, b2_q;
  logic [W*SHORT_N-1:0]         r0, r1, r2;        // lane e: bits SHORT_N*e +: SHORT_N
  logic [3*W-1:0]               ok2_q;             // as ok1_q
  for (genvar e = 0; e < W; e++) begin : g_lane
    for (genvar p = 0; p < 3; p++) begin : g_pos
      logic [SHORT_N-1:0] rd;
      dejfa_ram_1w1r #(.DEPTH(512), .WIDTH(SHORT_N)) u_tbl (
        .clk(clk), .we(tw_en && tw_sel == 2'(p)), .waddr({tw_bank, tw_row}), .wdata(tw_data),
        .raddr({b1_q, x1_q[8*(e+p) +: 8]}), .rdata(rd)
      );
      if (p == 0) begin : g_0
        assign r0[SHORT_N*e +: SHORT_N] = rd;
      end else if (p == 1) begin : g_1
        assign r1[SHORT_N*e +: SHORT_N] = rd;
      end else begin : g_2
        assign r2[SHORT_N*e +: SHORT_N] = rd;
      end
    end
  end
  always_ff @(posedge clk) begin
    v2_q <= v1_q;
    if (v1_q) begin
      ok2_q <= ok1_q;
      l2_q <= l1_q;
      b2_q <= b1_q;
    end
    if (rst) v2_q <= 1'b0;
  end

  // ---- stage 3: per lane the entries whose three bytes match and whose length fits, OR-ed over
  //      the lanes (computed in the clocked block: only in cycles with a beat)
  logic               v3_q, l3_q, b3_q;
  logic [SHORT_N-1:0] found3_q, new3_q;
  logic [SHORT_N-1:0] seen_q;  // the entries the frame's earlier beats found
  always_ff @(posedge clk) begin
    v3_q <= v2_q;
    if (v2_q) begin
      logic [SHORT_N-1:0] acc;
      acc = '0;
      for (int unsigned e = 0; e < W; e++) begin
        acc = acc | (r0[SHORT_N*e +: SHORT_N] & r1[SHORT_N*e +: SHORT_N] &
                     r2[SHORT_N*e +: SHORT_N] &
                     ({SHORT_N{ok2_q[e]}} & len_q[b2_q][0] |
                      {SHORT_N{ok2_q[W+e]}} & len_q[b2_q][1] |
                      {SHORT_N{ok2_q[2*W+e]}} & len_q[b2_q][2]));
      end
      found3_q <= acc;
      new3_q <= acc & ~seen_q;
      seen_q <= l2_q ? '0 : seen_q | acc;
      l3_q <= l2_q;
      b3_q <= b2_q;
    end
    if (rst) begin
      v3_q <= 1'b0;
      seen_q <= '0;
    end
  end

  assign m_valid = v3_q;
  assign m_last = l3_q;
  assign m_bank = b3_q;
  assign m_found = found3_q;
  assign m_new = new3_q;

  // A write never lands in the bank a beat reads: the byte tables in stage 2's reads, the length
  // rows in stage 3 (the shadow bank only).
  `DEJFA_ASSERT(WriteNotInReadBank_A,
                !(tw_en && (v1_q && tw_bank == b1_q || v2_q && tw_bank == b2_q)), clk, rst)
  // The length table has rows 0-2 only.
  `DEJFA_ASSERT(LengthRowInRange_A, !(tw_en && tw_sel == 2'd3 && tw_row > 8'd2), clk, rst)
endmodule

`resetall
`default_nettype wire
